package main

import (
	"crypto/rand"
	"fmt"
	"math/big"

	"golang.org/x/crypto/bcrypt"
)

// random 4.21.2 is bridged from hashicorp/terraform-provider-random (read at v3.7.2,
// internal/provider/resource_password.go, resource_string.go, internal/random/string.go). Nothing remote: the
// result lives only in the stack's state, Read changes nothing, and an import id is the value itself.

const (
	randomPasswordToken = "random:index/randomPassword:RandomPassword"
	randomStringToken   = "random:index/randomString:RandomString"
)

func randomProvider(version string) *provider {
	return &provider{
		pkg: "random", version: version,
		types: map[string]*resourceType{
			randomPasswordToken: randomType(randomPasswordToken, true),
			randomStringToken:   randomType(randomStringToken, false),
		},
	}
}

var randomInputs = []string{"length", "special", "upper", "lower", "numeric", "number", "minUpper", "minLower", "minNumeric", "minSpecial", "overrideSpecial", "keepers"}

func randomType(token string, password bool) *resourceType {
	t := &resourceType{
		token: token,
		// resource_password.go: every attribute has RequiresReplace (keepers: RequiresReplaceIfValuesNotNull).
		replaceOn: randomInputs,
		// passwordSchemaV3: special, upper, lower, numeric, number default true; min_* default 0.
		defaults: plain{"special": true, "upper": true, "lower": true, "numeric": true, "number": true, "minUpper": 0.0, "minLower": 0.0, "minNumeric": 0.0, "minSpecial": 0.0},
		computed: []string{"result"},
		check:    checkRandom,
	}
	if password {
		t.secretOut = []string{"result", "bcryptHash"}
		t.computed = append(t.computed, "bcryptHash")
	}
	t.create = func(p *provider, op opCtx, in plain) (string, plain, error) {
		out := withDefaults(t, in)
		result, err := randomResult(out)
		if err != nil {
			return "", nil, err
		}
		out["result"] = result
		if !password {
			return result, out, nil // resource_string.go: plan.ID = result
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(result[:min(len(result), 72)]), bcrypt.DefaultCost)
		if err != nil {
			return "", nil, err
		}
		out["bcryptHash"] = string(hash)
		return "none", out, nil // resource_password.go: plan.ID = "none"
	}
	t.read = func(p *provider, id string, state plain) (string, plain, error) {
		if state != nil {
			return id, state, nil // "Read does not need to perform any operations"
		}
		// ImportState: the id is the value; the other attributes take their defaults, length is len(id).
		out := withDefaults(t, plain{"length": float64(len(id)), "result": id})
		if !password {
			return id, out, nil
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(id[:min(len(id), 72)]), bcrypt.DefaultCost)
		if err != nil {
			return "", nil, err
		}
		out["bcryptHash"] = string(hash)
		return "none", out, nil
	}
	t.update = func(p *provider, op opCtx, id string, olds, news plain) (plain, error) {
		out := withDefaults(t, news)
		for _, k := range t.computed {
			out[k] = olds[k]
		}
		return out, nil
	}
	t.delete = func(*provider, string, plain) error { return nil }
	return t
}

// checkRandom: length is Required with AtLeast(1) and AtLeastSumOf(min_upper, min_lower, min_numeric, min_special).
func checkRandom(p *provider, news, olds plain) []checkFailure {
	length, ok := news["length"].(float64)
	if !ok {
		if isUnknown(news["length"]) {
			return nil
		}
		return []checkFailure{{"length", "Missing required argument: The argument \"length\" is required, but no definition was found."}}
	}
	if length < 1 {
		return []checkFailure{{"length", fmt.Sprintf("Attribute length value must be at least 1, got: %v", length)}}
	}
	sum := number(news, "minUpper", 0) + number(news, "minLower", 0) + number(news, "minNumeric", 0) + number(news, "minSpecial", 0)
	if length < sum {
		return []checkFailure{{"length", fmt.Sprintf("Attribute length value must be at least sum of min_upper + min_lower + min_numeric + min_special, got: %v", length)}}
	}
	return nil
}

// randomResult follows internal/random/string.go: the character classes that are on, the minimum of each, then
// the rest from all of them, shuffled.
func randomResult(in plain) (string, error) {
	const numChars, lowerChars, upperChars = "0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	specialChars := "!@#$%&*()-_=+[]{}<>:?"
	if s := str(in, "overrideSpecial"); s != "" {
		specialChars = s
	}
	chars := ""
	var result []byte
	pick := func(set string, n int) error {
		for i := 0; i < n; i++ {
			k, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				return err
			}
			result = append(result, set[k.Int64()])
		}
		return nil
	}
	for _, class := range []struct {
		on    bool
		set   string
		least float64
	}{
		{boolean(in, "upper", true), upperChars, number(in, "minUpper", 0)},
		{boolean(in, "lower", true), lowerChars, number(in, "minLower", 0)},
		{boolean(in, "numeric", true) && boolean(in, "number", true), numChars, number(in, "minNumeric", 0)},
		{boolean(in, "special", true), specialChars, number(in, "minSpecial", 0)},
	} {
		if class.on {
			chars += class.set
		}
		if err := pick(class.set, int(class.least)); err != nil {
			return "", err
		}
	}
	if chars == "" {
		return "", fmt.Errorf("random: no character class is enabled")
	}
	if err := pick(chars, int(number(in, "length", 0))-len(result)); err != nil {
		return "", err
	}
	for i := len(result) - 1; i > 0; i-- {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		j := k.Int64()
		result[i], result[j] = result[j], result[i]
	}
	return string(result), nil
}
