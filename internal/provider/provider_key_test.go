package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const testKID = "0c4d2e9a-7b1f-4a63-b8e5-3f6a9d2c1b0e"

var (
	signingKeyOnce sync.Once
	signingKey     *rsa.PrivateKey
)

// testSigningKey is one 2048-bit key for the package: generating keys under -race is slow.
func testSigningKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	signingKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		signingKey = k
	})
	return signingKey
}

func keyJWK(t *testing.T, key any) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, Algorithm: "RS256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keyPEM(t *testing.T) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(testSigningKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// newKeyedMock is the demo mock with the test key registered for the demo channel.
func newKeyedMock(t *testing.T) *mockLINE {
	t.Helper()
	mock := newMockLINE(t, nil)
	if err := mock.RegisterChannelKey(linemock.DemoChannelID, testKID, json.RawMessage(keyJWK(t, &testSigningKey(t).PublicKey))); err != nil {
		t.Fatal(err)
	}
	return mock
}

// keyCredentials are provider settings for the demo channel's assertion signing key.
func keyCredentials(privateKey, kid string) string {
	return fmt.Sprintf("channel_id          = %q\n  channel_key_id      = %q\n  channel_private_key = <<-EOT\n%s\nEOT",
		linemock.DemoChannelID, kid, strings.TrimSpace(privateKey))
}

// issuedBearers are the tokens the mock's Messaging API saw other than the fixture's.
func issuedBearers(mock *mockLINE) []string {
	var out []string
	for _, r := range mock.Requests() {
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") && auth != "Bearer "+linemock.DemoToken {
			out = append(out, strings.TrimPrefix(auth, "Bearer "))
		}
	}
	return out
}

// A full apply and destroy with tokens issued by JWT assertion. A wrong secret is set too:
// the key wins over it.
func TestAccProvider_assertionSigningKey(t *testing.T) {
	mock := newKeyedMock(t)
	config := mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), testKID)+"\n  channel_secret = \"not-the-secret\"", `
data "line_bot_info" "bot" {}
resource "line_bot_membership" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
					statecheck.ExpectKnownValue("line_bot_membership.ops", tfjsonpath.New("group_name"), knownvalue.StringExact(linemock.DemoGroupOpsName)),
				},
				Check: func(*terraform.State) error {
					if len(issuedBearers(mock)) == 0 || mock.CountRequests(linemock.EndpointStatelessToken) == 0 {
						return fmt.Errorf("no token was issued by assertion")
					}
					for _, r := range mock.Requests() {
						if r.Endpoint == linemock.EndpointStatelessToken && r.Status != 200 {
							return fmt.Errorf("a token request was answered %d", r.Status)
						}
					}
					return nil
				},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// The private key and its ID from the environment, as CI sets them, the key as PEM.
func TestAccProvider_assertionSigningKeyFromEnvironment(t *testing.T) {
	mock := newKeyedMock(t)
	t.Setenv(envChannelID, linemock.DemoChannelID)
	t.Setenv(envChannelPrivateKey, keyPEM(t))
	t.Setenv(envChannelKeyID, testKID)
	t.Setenv(envChannelSecret, "not-the-secret")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith("", botInfoConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.line_bot_info.bot", tfjsonpath.New("user_id"), knownvalue.StringExact(linemock.DemoBotUserID)),
			},
		}},
	})
	if n := mock.CountRequests(linemock.EndpointStatelessToken); n == 0 {
		t.Fatal("no token was issued")
	}
}

// Every unusable key fails when the provider is configured, naming the setting and what to do,
// before any request.
func TestAccProvider_badSigningKey(t *testing.T) {
	key := testSigningKey(t)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	cases := []struct {
		name     string
		settings string
		want     string
	}{
		{"malformed", keyCredentials("not a key", testKID),
			`Invalid LINE channel private key.*The value of channel_private_key in the provider block is not usable as an assertion signing key: it is neither a JSON Web Key`},
		{"public key only", keyCredentials(keyJWK(t, &key.PublicKey), testKID),
			`channel_private_key in the provider block is not usable as an assertion signing key: it is a public key only`},
		{"too short", keyCredentials(keyJWK(t, small), testKID),
			`it is an RSA key of 1024 bits: LINE's assertion signing keys are 2048 bits`},
		{"no key ID", keyCredentials(keyJWK(t, key), ""),
			`Invalid LINE channel key ID.*channel_key_id: required with a private key.*set channel_key_id in the provider block or the LINE_CHANNEL_KEY_ID environment variable`},
		{"no channel ID", strings.Replace(keyCredentials(keyJWK(t, key), testKID), `channel_id          = "`+linemock.DemoChannelID+`"`, "", 1),
			`Missing LINE channel ID.*channel_id is required with a private key.*set channel_id in the provider block or the LINE_CHANNEL_ID environment variable`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mock := newKeyedMock(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      mock.configWith(c.settings, botInfoConfig),
					ExpectError: wrapped(c.want),
				}},
			})
			if n := mock.CountRequests(""); n != 0 {
				t.Fatalf("%d requests, want none", n)
			}
		})
	}
}

// LINE's 404 for a kid not registered for the channel: the error says so and where to look,
// after one request in all, however many operations needed a token.
func TestAccProvider_unregisteredKeyID(t *testing.T) {
	mock := newKeyedMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), "not-registered"), `
data "line_bot_info" "bot" {}
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}
data "line_room_member_count" "room" {
  room_id = "`+linemock.DemoRoom+`"
}`),
			ExpectError: wrapped(`LINE answered 404: Cannot find channel key that satisfies the conditions.*` +
				`No assertion signing key with the key ID from channel_key_id in the provider block is registered for the channel in channel_id in the provider block\. ` +
				`Check channel_key_id against the channel's Basic settings → Assertion Signing Key in the LINE Developers Console`),
		}},
	})
	if n := mock.CountRequests(""); n != 1 {
		t.Fatalf("%d requests in all, want only one token request", n)
	}
}

// A key registered for another channel is refused with LINE's 400, remembered likewise.
func TestAccProvider_keyOfAnotherChannel(t *testing.T) {
	f := linemock.DemoFixture()
	f.Channels = append(f.Channels, linemock.Channel{ID: "1650000002", Secret: "other"})
	mock := newMockLINE(t, f)
	if err := mock.RegisterChannelKey("1650000002", testKID, json.RawMessage(keyJWK(t, &testSigningKey(t).PublicKey))); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), testKID), `
data "line_bot_info" "bot" {}
data "line_group_summary" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`),
			ExpectError: wrapped(`LINE answered 400: Invalid 'client_assertion': 'iss' and 'sub' must be the channel ID.*` +
				`LINE refused the JWT assertion signed with channel_private_key in the provider block`),
		}},
	})
	if n := mock.CountRequests(""); n != 1 {
		t.Fatalf("%d requests in all, want only one token request", n)
	}
}

// A key revoked in the console while a membership is in state: refresh fails with LINE's key
// error, and the membership stays in state (LINE's 404 for the key says nothing of the chat).
func TestAccProvider_revokedKeyKeepsMemberships(t *testing.T) {
	mock := newKeyedMock(t)
	config := mock.configWith(keyCredentials(keyJWK(t, testSigningKey(t)), testKID), `
resource "line_bot_membership" "ops" {
  group_id = "`+linemock.DemoGroupOps+`"
}`)
	pub := json.RawMessage(keyJWK(t, &testSigningKey(t).PublicKey))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             checkBotLeft(t, mock, linemock.DemoGroupOps),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := mock.RemoveChannelKey(linemock.DemoChannelID, testKID); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				ExpectError: wrapped(`Cannot find channel key that satisfies the conditions.*No assertion signing key with the key ID`),
			},
			{
				PreConfig: func() {
					if err := mock.RegisterChannelKey(linemock.DemoChannelID, testKID, pub); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("line_bot_membership.ops", plancheck.ResourceActionNoop)},
				},
			},
		},
	})
}
