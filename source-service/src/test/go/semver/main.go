// The oracle for Sluice's GitRepository ref.semver: Flux's own choice of a tag, as
// fluxcd/pkg/git/gogit's cloneSemVer makes it (Masterminds/semver constraints, tags parsed
// by fluxcd/pkg/version). Each input line is "constraint<TAB>tag,tag,..."; each output line
// is the chosen tag, or "error" when the constraint does not parse, or "none".
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/fluxcd/pkg/version"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		parts := strings.SplitN(in.Text(), "\t", 2)
		fmt.Println(choose(parts[0], strings.Split(parts[1], ",")))
	}
}

func choose(constraint string, tags []string) string {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return "error"
	}
	var matched semver.Collection
	for _, tag := range tags {
		v, err := version.ParseVersion(tag)
		if err != nil || !c.Check(v) {
			continue
		}
		matched = append(matched, v)
	}
	if len(matched) == 0 {
		return "none"
	}
	sort.Stable(matched)
	return matched[len(matched)-1].Original()
}
