// The kustomize that render-service runs: the kustomize CLI, unchanged, plus one subcommand, sluice-worker, which
// builds directory after directory in one long-lived process (no process start per build). A request is a JSON line
// {"dir": "..."} on standard input; the answer is a JSON line {"yaml": "..."} or {"error": "Error: ..."} on standard
// output. Each build runs the CLI's own build command with the flags render-service passes to the CLI, so both paths
// give the same bytes and the same errors (a failed build's message carries the warnings the CLI would have printed
// before it). Nothing of one build is left for the next: a kustomization's openapi schema, kept globally by kustomize,
// is reset after the build that set it.
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"os"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kustomize/v5/commands"
	"sigs.k8s.io/kustomize/kustomize/v5/commands/build"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"
)

const workerCommand = "sluice-worker"

type request struct {
	Dir string `json:"dir"`
}

type response struct {
	YAML  string `json:"yaml,omitempty"`
	Error string `json:"error,omitempty"`
	Ready string `json:"ready,omitempty"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == workerCommand {
		serve()
		return
	}
	if err := commands.NewDefaultCommand().Execute(); err != nil {
		os.Exit(1)
	}
}

func serve() {
	in := json.NewDecoder(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	// tells the caller that this binary speaks the protocol (a plain kustomize fails on the unknown command)
	if err := out.Encode(response{Ready: workerCommand + "/1"}); err != nil {
		return
	}
	for {
		var req request
		if err := in.Decode(&req); err != nil {
			return // the caller closed standard input, or sent something unreadable
		}
		if err := out.Encode(buildDir(req.Dir)); err != nil {
			return
		}
	}
}

// buildDir runs what `kustomize build --load-restrictor LoadRestrictionsNone <dir>` runs: a fresh build command
// each time, since the command keeps its flags in package variables that defining them resets.
func buildDir(dir string) response {
	var yaml bytes.Buffer
	cmd := build.NewCmdBuild(filesys.MakeFsOnDisk(), build.MakeHelp(konfig.ProgramName, "build"), &yaml)
	build.AddFunctionAlphaEnablementFlags(cmd.Flags()) // as the CLI's build command has them
	cmd.SetArgs([]string{"--load-restrictor", "LoadRestrictionsNone", dir})
	cmd.SilenceErrors = true
	warnings := captureStderr()
	cmd.SetOut(os.Stderr)
	cmd.SetErr(os.Stderr)
	err := cmd.Execute()
	printed := warnings()
	if openapi.GetSchemaVersion() != "" {
		openapi.ResetOpenAPI()
	}
	if err != nil {
		return response{Error: printed + "Error: " + err.Error()}
	}
	return response{YAML: yaml.String()}
}

// captureStderr sends what kustomize prints to standard error (its warnings, through fmt and log) to a pipe until the
// returned function is called, which returns it.
func captureStderr() func() string {
	r, w, err := os.Pipe()
	if err != nil {
		return func() string { return "" }
	}
	saved := os.Stderr
	os.Stderr = w
	log.SetOutput(w)
	printed := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		r.Close()
		printed <- string(b)
	}()
	return func() string {
		os.Stderr = saved
		log.SetOutput(saved)
		w.Close()
		return <-printed
	}
}
