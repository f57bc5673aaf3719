// Command envsubst is the test oracle for Sluice's postBuild substitution: it runs Flux's own envsubst
// (github.com/fluxcd/pkg/envsubst) on standard input, with the environment as the variables.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fluxcd/pkg/envsubst"
)

func main() {
	strict := flag.Bool("strict", false, "fail on a variable that is not set")
	flag.Parse()
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out, err := envsubst.EvalEnv(string(in), *strict)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(out)
}
