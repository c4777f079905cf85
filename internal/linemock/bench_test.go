package linemock

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkGroupSummary measures GET …/summary through a real HTTP server, many clients
// in parallel, rate limit off.
func BenchmarkGroupSummary(b *testing.B) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport}
	url := ts.URL + "/v2/bot/group/" + DemoGroupOps + "/summary"

	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 512)
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+DemoToken)
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			for {
				if _, err := res.Body.Read(buf); err != nil {
					break
				}
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkGroupSummaryServeHTTP measures the handler alone, without the network.
func BenchmarkGroupSummaryServeHTTP(b *testing.B) {
	s, err := New(DemoFixture(), WithRateLimit(0))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest("GET", "/v2/bot/group/"+DemoGroupOps+"/summary", nil)
			r.Header.Set("Authorization", "Bearer "+DemoToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Errorf("status %d", w.Code)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
