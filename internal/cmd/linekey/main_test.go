package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

// The pair is what LINE requires: RSA 2048, the public JWK with kty, n, e, alg RS256 and use
// sig and nothing else (no kid, no private part); the private key in a 0600 file.
func TestKeyPairMeetsLINEsRequirements(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "private-key.jwk")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}

	var fields map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &fields); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	if want := []string{"alg", "e", "kty", "n", "use"}; !slices.Equal(names, want) {
		t.Errorf("public JWK members %v, want exactly %v", names, want)
	}
	if fields["kty"] != "RSA" || fields["alg"] != "RS256" || fields["use"] != "sig" {
		t.Errorf("public JWK kty %v, alg %v, use %v; want RSA, RS256, sig", fields["kty"], fields["alg"], fields["use"])
	}
	var public jose.JSONWebKey
	if err := public.UnmarshalJSON(stdout.Bytes()); err != nil {
		t.Fatal(err)
	}
	pub, ok := public.Key.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("public key %T, want RSA", public.Key)
	}
	if bits := pub.N.BitLen(); bits != 2048 {
		t.Errorf("public key of %d bits, want 2048", bits)
	}

	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("private key file mode %v, want 0600", perm)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var private jose.JSONWebKey
	if err := private.UnmarshalJSON(raw); err != nil {
		t.Fatal(err)
	}
	priv, ok := private.Key.(*rsa.PrivateKey)
	if !ok || !priv.PublicKey.Equal(pub) {
		t.Fatal("the file does not hold the private half of the printed public key")
	}
	if private.KeyID != "" {
		t.Errorf("the private JWK has kid %q", private.KeyID)
	}
	if strings.Contains(stdout.String()+stderr.String(), `"d"`) {
		t.Error("the private exponent was printed")
	}
	for _, want := range []string{"Assertion Signing Key", "LINE_CHANNEL_KEY_ID", "LINE_CHANNEL_PRIVATE_KEY"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not mention %s: %s", want, stderr.String())
		}
	}
}

// The pair works end to end: registered with the mock as the console would, the private key
// buys a stateless token through the provider's client.
func TestKeyPairIssuesTokens(t *testing.T) {
	out := filepath.Join(t.TempDir(), "private-key.jwk")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	mock, err := linemock.New(linemock.DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(mock)
	t.Cleanup(func() { mock.Close(); ts.Close() })
	const kid = "5b0c9f1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b"
	if err := mock.RegisterChannelKey("1650000001", kid, stdout.Bytes()); err != nil {
		t.Fatalf("registering the public key: %v", err)
	}
	private, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	client, err := lineclient.New(lineclient.Config{
		Endpoint: ts.URL, ChannelID: "1650000001", ChannelPrivateKey: string(private), ChannelKeyID: kid,
		MaxRetries: 0, RateLimit: 100,
	})
	if err != nil {
		t.Fatalf("the provider's client refuses the private key: %v", err)
	}
	token, err := client.IssueToken(context.Background())
	if err != nil || token.AccessToken == "" {
		t.Fatalf("issuing a token: %v", err)
	}
}

// An existing file is never overwritten, and nothing is printed then.
func TestNeverOverwrites(t *testing.T) {
	out := filepath.Join(t.TempDir(), "private-key.jwk")
	if err := os.WriteFile(out, []byte("a key registered elsewhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if got, _ := os.ReadFile(out); string(got) != "a key registered elsewhere\n" {
		t.Errorf("the existing file was changed to %q", got)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "never overwrites") {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if code := run([]string{"extra"}, &stdout, &stderr); code != 2 {
		t.Errorf("an extra argument: exit code %d, want 2", code)
	}
}
