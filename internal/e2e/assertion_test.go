package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/hashicorp/go-version"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

const e2eKID = "3d9f7a21-6c4b-4e8a-9b1d-2f5e7c8a0b6d"

var (
	e2eKeyOnce sync.Once
	e2eKey     *rsa.PrivateKey
)

// testKey is a 2048-bit key generated for this run, as a team would with LINE's guide.
func testKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	e2eKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		e2eKey = k
	})
	return e2eKey
}

func jwkString(t *testing.T, key any) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, Algorithm: "RS256", Use: "sig"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pemString(t *testing.T, key *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// registerKey registers the public half for the demo channel, as the console does.
func registerKey(t *testing.T, w *workspace) {
	t.Helper()
	if err := w.mock.RegisterChannelKey(linemock.DemoChannelID, e2eKID, json.RawMessage(jwkString(t, &testKey(t).PublicKey))); err != nil {
		t.Fatal(err)
	}
}

// keyLeaks are the substrings that would give the private key away: the JWK and PEM whole,
// every private JWK member, the PEM's lines and its base64 body, and the DER of both forms.
func keyLeaks(t *testing.T, key *rsa.PrivateKey) []string {
	t.Helper()
	jwk, pemKey := jwkString(t, key), pemString(t, key)
	leaks := []string{jwk, pemKey, strings.TrimSpace(pemKey)}
	var members map[string]any
	_ = json.Unmarshal([]byte(jwk), &members)
	for _, name := range []string{"d", "p", "q", "dp", "dq", "qi"} {
		leaks = append(leaks, members[name].(string))
	}
	var body strings.Builder
	for line := range strings.Lines(pemKey) {
		if line = strings.TrimSpace(line); !strings.HasPrefix(line, "-----") {
			leaks = append(leaks, line)
			body.WriteString(line)
		}
	}
	leaks = append(leaks, body.String(), base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PrivateKey(key)))
	return leaks
}

func keyEnv(privateKey string) []string {
	return []string{"LINE_CHANNEL_ID=" + linemock.DemoChannelID, "LINE_CHANNEL_KEY_ID=" + e2eKID, "LINE_CHANNEL_PRIVATE_KEY=" + privateKey}
}

// terraformVersion is the version of the Terraform the tests run.
func terraformVersion(t *testing.T) *version.Version {
	t.Helper()
	out, err := exec.Command(terraformPath, "version", "-json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return version.Must(version.NewVersion(v.Version))
}

const keyConfig = `provider "line" {}

data "line_group_summary" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}

resource "line_bot_membership" "ops" {
  group_id = "` + linemock.DemoGroupOps + `"
}
`

// The ephemeral token configures a second provider, which reads a group (Terraform 1.10+).
const ephemeralConfig = `
ephemeral "line_channel_access_token" "x" {}

provider "line" {
  alias                = "issued"
  channel_access_token = ephemeral.line_channel_access_token.x.access_token
}

data "line_group_summary" "via_ephemeral" {
  provider = line.issued
  group_id = "` + linemock.DemoGroupOps + `"
}

output "via_ephemeral" {
  value = data.line_group_summary.via_ephemeral.group_name
}
`

// A key generated here, registered in the mock, and used through the CLI from the environment
// as CI would: plan to a file, apply it, destroy. Neither the private key nor any token issued
// from it is in the state, the saved plan or their JSON.
func TestAssertionSigningKeyThroughTheCLI(t *testing.T) {
	w := newWorkspace(t, nil)
	registerKey(t, w)
	key := testKey(t)
	config := keyConfig
	ephemeral := !terraformVersion(t).LessThan(version.Must(version.NewVersion("1.10.0")))
	if ephemeral {
		config += ephemeralConfig
	} else {
		t.Logf("Terraform %s has no ephemeral resources: the key alone is tested", terraformVersion(t))
	}
	w.write(config)
	env := keyEnv(jwkString(t, key))
	w.mustTerraform(env, "plan", "-out=tfplan", "-input=false", "-no-color")
	planJSON := w.mustTerraform(env, "show", "-json", "tfplan")
	applied := w.mustTerraform(env, "apply", "-input=false", "-no-color", "tfplan")
	if ephemeral && !strings.Contains(applied, `via_ephemeral = "`+linemock.DemoGroupOpsName+`"`) {
		t.Fatalf("the aliased provider did not read the group:\n%s", applied)
	}
	stateJSON := w.mustTerraform(env, "show", "-json")
	rawState, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	rawPlan, err := os.ReadFile(filepath.Join(w.Dir, "tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stateJSON, linemock.DemoGroupOpsName) {
		t.Fatal("the state does not hold the group: the run proved nothing")
	}

	// Every token the mock saw used; through the ephemeral provider, each was issued by
	// assertion (the default provider has no other credential).
	var issued []string
	for _, r := range w.mock.Requests() {
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			issued = append(issued, strings.TrimPrefix(auth, "Bearer "))
		}
	}
	if len(issued) == 0 || w.mock.CountRequests(linemock.EndpointStatelessToken) == 0 {
		t.Fatal("no token was issued and used")
	}
	for _, r := range w.mock.Requests() {
		if r.Endpoint == linemock.EndpointStatelessToken && r.Status != 200 {
			t.Fatalf("a token request was answered %d", r.Status)
		}
	}
	files := map[string]string{"plan JSON": planJSON, "state JSON": stateJSON, "state file": string(rawState), "plan file": string(rawPlan)}
	for name, content := range files {
		for _, tok := range issued {
			if strings.Contains(content, tok) {
				t.Fatalf("an issued token is in the %s", name)
			}
		}
		for _, leak := range keyLeaks(t, key) {
			if strings.Contains(content, leak) {
				t.Fatalf("the private key is in the %s", name)
			}
		}
	}
	w.mustTerraform(env, "destroy", "-auto-approve", "-input=false", "-no-color")
	if joined, _ := w.mock.BotJoined(linemock.DemoGroupOps); joined {
		t.Fatal("destroy did not make the bot leave")
	}
}

// An unregistered key ID fails with the error users see, after one request in all.
func TestUnregisteredKeyIDThroughTheCLI(t *testing.T) {
	w := newWorkspace(t, nil)
	w.write(keyConfig)
	out, err := w.Run(keyEnv(pemString(t, testKey(t))), "plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("plan succeeded with an unregistered key:\n%s", out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"LINE answered 404: Cannot find channel key that satisfies the conditions",
		"No assertion signing key with the key ID from the LINE_CHANNEL_KEY_ID environment variable is registered for the channel in the LINE_CHANNEL_ID environment variable",
	} {
		if !strings.Contains(flat, want) {
			t.Fatalf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := w.mock.CountRequests(""); n != 1 {
		t.Fatalf("%d requests, want only the one token request", n)
	}
}
