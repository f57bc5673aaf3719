// The oracle for Sluice's artifact filter: which files of a checked-out directory go into a
// GitRepository's artifact, decided as source-controller decides it (fluxcd/pkg/sourceignore's
// .sourceignore files and default exclusions, spec.ignore, and the filter of fluxcd/pkg/artifact's
// SourceIgnoreFilter, restated here because that module is not served). Arguments: the directory
// and, optionally, a file holding spec.ignore. Prints the kept regular files, one per line, sorted.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fluxcd/pkg/sourceignore"
)

func main() {
	dir := os.Args[1]
	domain := strings.Split(dir, string(filepath.Separator))
	ps, err := sourceignore.LoadIgnorePatterns(dir, domain)
	if err != nil {
		panic(err)
	}
	if len(os.Args) > 2 {
		spec, err := os.ReadFile(os.Args[2])
		if err != nil {
			panic(err)
		}
		ps = append(ps, sourceignore.ReadPatterns(strings.NewReader(string(spec)), domain)...)
	}
	matcher := sourceignore.NewDefaultMatcher(ps, domain)
	if len(ps) > 0 {
		matcher = sourceignore.NewMatcher(append(sourceignore.VCSPatterns(domain), ps...))
	}
	var kept []string
	err = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() && !fi.IsDir() {
			return nil
		}
		if matcher.Match(strings.Split(p, string(filepath.Separator)), fi.IsDir()) {
			return nil
		}
		if fi.Mode().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			kept = append(kept, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	sort.Strings(kept)
	for _, k := range kept {
		fmt.Println(k)
	}
}
