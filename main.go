// Command terraform-provider-line serves the LINE provider to Terraform over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tf-line/terraform-provider-line/internal/provider"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		silenceUnreadLogs()
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/tf-line/line",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// silenceUnreadLogs turns the provider's logging off when no TF_LOG variable is set. Terraform
// then shows none of a provider's log lines, yet the plugin libraries would still format their
// TRACE lines for every call: a fifth of the provider's CPU in a large plan. Any TF_LOG*
// variable (TF_LOG, TF_LOG_PROVIDER, TF_LOG_SDK, …) leaves logging exactly as the user set it.
func silenceUnreadLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	// The provider's own logger, and the SDK's (whose protocol and framework subsystems follow it).
	_ = os.Setenv("TF_LOG_PROVIDER", "off")
	_ = os.Setenv("TF_LOG_SDK", "off")
}
