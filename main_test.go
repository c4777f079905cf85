package main

import (
	"os"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	for _, name := range []string{"TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_CORE"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	silenceUnreadLogs()
	if os.Getenv("TF_LOG_PROVIDER") != "off" || os.Getenv("TF_LOG_SDK") != "off" {
		t.Fatal("logging left on although no TF_LOG variable is set")
	}

	os.Unsetenv("TF_LOG_PROVIDER")
	os.Unsetenv("TF_LOG_SDK")
	t.Setenv("TF_LOG", "trace")
	silenceUnreadLogs()
	if _, set := os.LookupEnv("TF_LOG_PROVIDER"); set {
		t.Fatal("logging changed although TF_LOG is set")
	}
}
