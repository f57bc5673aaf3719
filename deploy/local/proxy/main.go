// An HTTP forward proxy for the tests of GitRepository proxySecretRef: goproxy (github.com/elazarl/goproxy), which
// forwards plain HTTP requests and tunnels CONNECT, with Basic proxy authentication when -login is given. It prints
// the address it listens on, then one line per request it forwarded ("GET http://...", "CONNECT host:port").
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/elazarl/goproxy"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	login := flag.String("login", "", "user:password the proxy asks for (none: no login)")
	flag.Parse()
	expected := ""
	if *login != "" {
		expected = "Basic " + base64.StdEncoding.EncodeToString([]byte(*login))
	}
	authorized := func(r *http.Request) bool {
		return expected == "" || r.Header.Get("Proxy-Authorization") == expected
	}
	proxy := goproxy.NewProxyHttpServer()
	proxy.OnRequest().HandleConnectFunc(func(host string, ctx *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		if !authorized(ctx.Req) {
			fmt.Printf("REFUSED CONNECT %s\n", host)
			return goproxy.RejectConnect, host
		}
		fmt.Printf("CONNECT %s\n", host)
		return goproxy.OkConnect, host
	})
	proxy.OnRequest().DoFunc(func(r *http.Request, ctx *goproxy.ProxyCtx) (*http.Request, *http.Response) {
		if !authorized(r) {
			fmt.Printf("REFUSED %s %s\n", r.Method, r.URL)
			refused := goproxy.NewResponse(r, goproxy.ContentTypeText, http.StatusProxyAuthRequired, "proxy login required")
			refused.Header.Set("Proxy-Authenticate", `Basic realm="proxy"`)
			return r, refused
		}
		r.Header.Del("Proxy-Authorization")
		fmt.Printf("%s %s\n", r.Method, r.URL)
		return r, nil
	})
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(listener.Addr().String())
	os.Stdout.Sync()
	log.Fatal(http.Serve(listener, proxy))
}
