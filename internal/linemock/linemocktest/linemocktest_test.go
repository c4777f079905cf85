package linemocktest

import (
	"regexp"
	"testing"

	"github.com/tf-line/terraform-provider-line/internal/linemock"
)

func TestStartTakesTheSeedFromTheEnvironment(t *testing.T) {
	t.Setenv(linemock.SeedEnv, "4242")
	if mock, _ := Start(t, nil); mock.Seed() != 4242 {
		t.Errorf("LINEMOCK_SEED=4242: seed %d", mock.Seed())
	}
	if mock, _ := Start(t, nil, linemock.WithSeed(9)); mock.Seed() != 9 {
		t.Errorf("WithSeed(9) under LINEMOCK_SEED=4242: seed %d", mock.Seed())
	}
	t.Setenv(linemock.SeedEnv, "")
	a, _ := Start(t, nil)
	b, ts := Start(t, linemock.DemoFixture())
	if a.Seed() == b.Seed() {
		t.Errorf("two mocks without LINEMOCK_SEED drew one seed, %d", a.Seed())
	}
	// The mock is served, with the fixture.
	res, err := ts.Client().Get(ts.URL + "/_mock/chats/" + linemock.DemoGroupOps)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET /_mock/chats/%s: %d", linemock.DemoGroupOps, res.StatusCode)
	}
}

func TestRunPattern(t *testing.T) {
	for _, name := range []string{"TestA", "TestA/sub_1", "TestB/a+b"} {
		re := regexp.MustCompile(RunPattern(name))
		if !re.MatchString(name) || re.MatchString(name+"x") || re.MatchString("x"+name) {
			t.Errorf("RunPattern(%q) = %q", name, RunPattern(name))
		}
	}
}

// No two mocks of one process listen on the same port, even when the first has closed.
func TestStartNeverReusesAPort(t *testing.T) {
	seen := map[string]bool{}
	for i := range 200 {
		t.Run("", func(t *testing.T) {
			_, ts := Start(t, nil)
			if seen[ts.URL] {
				t.Fatalf("mock %d listens on %s, where an earlier mock listened", i, ts.URL)
			}
			seen[ts.URL] = true
		})
	}
}
