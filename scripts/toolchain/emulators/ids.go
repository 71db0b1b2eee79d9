package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"time"
)

const alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomID(prefix string, n int) string {
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphanumeric))))
		if err != nil {
			panic(err)
		}
		b[i] = alphanumeric[k.Int64()]
	}
	return prefix + string(b)
}

// digestOf is how the emulated remote keeps a value it never gives back (a secret): enough for a test to tell
// which value was written, never the value itself. scripts/engine/remote.ts computes the same.
func digestOf(value string) string {
	sum := sha256.Sum256([]byte("deploy-guardrails-emulator:" + value))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// now is a timestamp as GitHub's API formats it; time is injectable for the Go tests.
var now = func() string { return time.Now().UTC().Format(time.RFC3339) }
