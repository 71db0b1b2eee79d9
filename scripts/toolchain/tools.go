//go:build tools

// Package tools pins the upstream `main` packages that scripts/toolchain.sh builds from this module, so that
// `go mod tidy` keeps their requirements. Nothing here is compiled into a binary.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
