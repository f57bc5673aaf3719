package action

import (
	"os"
	"strconv"
)

// templateRevision is the .Release.Revision that `helm template` renders with: Helm's 1, or
// HELM_TEMPLATE_REVISION when it is set. Sluice's render-service sets it to the revision an upgrade
// will be stored as, which helm-controller's upgrade action passes to the templates and `helm
// template` has no flag for. Added to Helm's pkg/action by deploy/local/helm/build.
func templateRevision() int {
	if revision, err := strconv.Atoi(os.Getenv("HELM_TEMPLATE_REVISION")); err == nil && revision > 0 {
		return revision
	}
	return 1
}
