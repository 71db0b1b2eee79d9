// pulumi-resource-emulator: OFFLINE EMULATORS of the provider plugins this project uses (vercel, github, random,
// command), for when the real plugins cannot be built (see scripts/toolchain.sh). They are not the real providers
// and never call Vercel or GitHub: they keep the remote objects of a run as JSON files in the folder named by
// $DEPLOY_GUARDRAILS_EMULATOR_STATE and enforce the services' rules listed, with their sources, in
// docs/emulator-rules.md.
//
// scripts/toolchain.sh installs this binary into <cache>/toolchain/emulators-current/bin behind one wrapper per
// package (pulumi-resource-<name>), which sets DEPLOY_GUARDRAILS_EMULATOR_PACKAGE and _VERSION. The version it
// reports is "<version>+emulator", which the engine accepts as <version>.
//
// `pulumi-resource-emulator state get <service>` prints a service's file and `state put <service> <revision>`
// replaces it from stdin unless someone wrote it since that revision: the tests' helper, scripts/engine/remote.ts,
// edits the remote by hand that way, under the same lock as the plugins. `pulumi-resource-emulator supabase-api` serves
// the fake of the Supabase Management API (supabase.go); `vercel push` plays a git push to Vercel and `vercel-api`
// serves the fake of the Vercel REST endpoints the promotion calls (vercel_deploy.go).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "state" {
		if err := stateCommand(os.Args[2:], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-resource-emulator state:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "supabase-api" {
		if err := supabaseAPI(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-resource-emulator supabase-api:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "vercel" {
		if err := vercelCommand(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-resource-emulator vercel:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "vercel-api" {
		if err := vercelAPI(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "pulumi-resource-emulator vercel-api:", err)
			os.Exit(1)
		}
		return
	}
	pkg := os.Getenv("DEPLOY_GUARDRAILS_EMULATOR_PACKAGE")
	if pkg == "" {
		pkg = strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	}
	version := strings.TrimPrefix(os.Getenv("DEPLOY_GUARDRAILS_EMULATOR_VERSION"), "v")
	if version == "" {
		version = "0.0.0"
	}
	p, err := newProvider(pkg, version+"+emulator")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-resource-emulator:", err)
		os.Exit(2)
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(srv, p)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (emulator): %v\n", pkg, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (emulator): %v\n", pkg, err)
		os.Exit(1)
	}
}

func newProvider(pkg, version string) (*provider, error) {
	switch pkg {
	case "vercel":
		return vercelProvider(version), nil
	case "github":
		return githubProvider(version), nil
	case "random":
		return randomProvider(version), nil
	case "command":
		return commandProvider(version), nil
	}
	return nil, fmt.Errorf("no emulator for package %q (run me through a wrapper named pulumi-resource-<vercel|github|random|command>)", pkg)
}
