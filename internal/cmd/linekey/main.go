// Command linekey makes an assertion signing key pair as LINE requires it: RSA of 2048 bits,
// the public half a JSON Web Key with "alg": "RS256" and "use": "sig" and no "kid" (the LINE
// Developers Console gives the key ID when the public key is registered).
//
//	go run ./internal/cmd/linekey [-out private-key.jwk]
//
// It writes the private key, as a JWK, to -out (mode 0600; an existing file is never
// overwritten) and prints the public key on standard output, to paste into the console's
// Basic settings → Assertion Signing Key → Register a public key. The provider takes the
// private key as channel_private_key or LINE_CHANNEL_PRIVATE_KEY, and the key ID the console
// shows as channel_key_id or LINE_CHANNEL_KEY_ID. Exit codes: 0 done, 1 the file could not be
// written, 2 a bad flag.
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/go-jose/go-jose/v4"

	"github.com/tf-line/terraform-provider-line/internal/cmd/cmdflags"
)

// keyBits is LINE's requirement for an assertion signing key: "RSA key length is 2048bit".
const keyBits = 2048

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("linekey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "private-key.jwk", "file to write the private key to (must not exist)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: linekey [-out FILE]\n\nMakes an assertion signing key pair for a LINE "+
			"Messaging API channel: the private key goes to FILE, the public key to standard output.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, goOn := cmdflags.Parse(fs, args); !goOn {
		return code
	}

	private, public, err := newKeyPair()
	if err != nil {
		fmt.Fprintf(stderr, "linekey: %v\n", err)
		return 1
	}
	// O_EXCL: a key already registered somewhere is never replaced by accident.
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "linekey: %v (linekey never overwrites a key; choose another -out)\n", err)
		return 1
	}
	_, werr := f.Write(append(private, '\n'))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(*out)
		fmt.Fprintf(stderr, "linekey: writing %s: %v\n", *out, werr)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", public)
	fmt.Fprintf(stderr, "linekey: wrote the private key to %s; keep it secret (it is what CI signs with).\n"+
		"Register the public key above in the LINE Developers Console: the Messaging API channel's Basic "+
		"settings, Assertion Signing Key, Register a public key. Then set LINE_CHANNEL_KEY_ID to the key ID "+
		"the console shows, and LINE_CHANNEL_PRIVATE_KEY to the contents of %s.\n", *out, *out)
	return 0
}

// newKeyPair makes a 2048-bit RSA key and returns its private and public halves as JWKs.
func newKeyPair() (private, public []byte, err error) {
	key, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, nil, err
	}
	// No KeyID: LINE refuses a public key that has a "kid", since it assigns one itself.
	if private, err = json.Marshal(jose.JSONWebKey{Key: key, Algorithm: string(jose.RS256), Use: "sig"}); err != nil {
		return nil, nil, err
	}
	public, err = json.MarshalIndent(jose.JSONWebKey{Key: &key.PublicKey, Algorithm: string(jose.RS256), Use: "sig"}, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return private, public, nil
}
