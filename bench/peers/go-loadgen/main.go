// go-loadgen is a third-party-style load generator for push hubs that serve the push-hub contract
// (GET /ws, POST /api/v1/broadcast): it opens N gorilla/websocket clients, publishes stats_update events over
// HTTP at a stepped rate and measures publish-to-receipt latency and delivery on every client. It exists to
// check Herald's own generator (herald-bench) with an independent implementation written the way a Go user
// would write one.
//
// Output on stdout: one JSON line {"event":"connected",...} once every client is connected, then one JSON line
// per rate step; progress and errors go to stderr.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

type config struct {
	wsURL      string
	publishURL string
	clients    int
	rates      []float64
	warmup     time.Duration
	step       time.Duration
	drain      time.Duration
	workers    int
	waveSize   int
	apiKey     string
	reuse      bool
}

func parseFlags() config {
	var c config
	var rates string
	flag.StringVar(&c.wsURL, "url", "ws://127.0.0.1:8080/ws", "WebSocket URL the clients connect to")
	flag.StringVar(&c.publishURL, "publish", "http://127.0.0.1:8080/api/v1/broadcast", "HTTP URL events are POSTed to")
	flag.IntVar(&c.clients, "clients", 1000, "number of WebSocket clients (one connection and one reading goroutine each)")
	flag.StringVar(&rates, "rates", "50,100,200,300,500,1000", "comma-separated publish rates, one step each, in publishes per second")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "publishing before each step's measuring window (not counted)")
	flag.DurationVar(&c.step, "step", 5*time.Second, "measuring window of each step")
	flag.DurationVar(&c.drain, "drain", time.Second, "wait after each step's last publish for messages still in flight")
	flag.IntVar(&c.workers, "workers", 16, "concurrent HTTP publishers (keep-alive connections)")
	flag.IntVar(&c.waveSize, "wave", 100, "clients dialled concurrently per connect wave")
	flag.StringVar(&c.apiKey, "api-key", "", "sent as X-API-Key on each publish when set (Herald's HERALD_API_KEY)")
	flag.BoolVar(&c.reuse, "reuse", false, "read frames into a per-client reused buffer instead of ReadMessage's fresh allocation per message")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `Usage: go-loadgen [flags]

Connects -clients WebSocket clients to -url, then for each rate in -rates POSTs
{"type":"stats_update","data":{"stats":{"t":<ns>,"i":<n>,"pad":"..."}}} (128 bytes) to -publish
for -warmup + -step and prints one JSON line per step to stdout: publishes accepted, messages
delivered and the latency percentiles of the publishes sent inside the -step window.

Flags:
`)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fail("unexpected argument %q (see -h)", flag.Arg(0))
	}
	for _, s := range strings.Split(rates, ",") {
		r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || r <= 0 || math.IsInf(r, 0) {
			fail("-rates: %q is not a positive number", s)
		}
		c.rates = append(c.rates, r)
	}
	switch {
	case c.clients < 1:
		fail("-clients must be at least 1")
	case c.workers < 1:
		fail("-workers must be at least 1")
	case c.waveSize < 1:
		fail("-wave must be at least 1")
	case c.step <= 0 || c.warmup < 0 || c.drain < 0:
		fail("-step must be positive, -warmup and -drain not negative")
	}
	return c
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-loadgen: "+format+"\n", args...)
	os.Exit(1)
}

// Timestamps are Unix nanoseconds derived from the monotonic clock: publisher and clients share one process, so
// a wall-clock step (NTP) during a run would otherwise show up as a latency spike or a negative latency.
var (
	epoch     = time.Now()
	epochUnix = epoch.UnixNano()
)

func nowNanos() int64 { return epochUnix + int64(time.Since(epoch)) }

// ---- latency histogram ---------------------------------------------------------------------------------------

// A log-linear histogram of microseconds in the HDR style: values below 128 µs have a bucket each; above, every
// power of two is split into 64 buckets, so a bucket is at most 1/64 (1.6 %) of its value wide. 60 s (just
// under 2^26 µs) needs 128 + 19×64 buckets; larger values land in the last one (the exact maximum is kept).
const (
	subBits    = 7
	subCount   = 1 << subBits // 128
	halfCount  = subCount / 2 // 64
	maxMicros  = 60_000_000
	topExp     = 25 // bits.Len64(maxMicros) - 1
	numBuckets = subCount + (topExp-subBits+1)*halfCount
)

func bucketOf(us int64) int {
	if us < 0 {
		us = 0
	}
	if us > maxMicros {
		us = maxMicros
	}
	if us < subCount {
		return int(us)
	}
	exp := bits.Len64(uint64(us)) - 1 // 7..25
	shift := exp - (subBits - 1)      // keeps the top 7 bits: 64..127
	return subCount + (exp-subBits)*halfCount + int(us>>uint(shift)) - halfCount
}

// bucketMid is the middle of a bucket in microseconds (exact below 128 µs).
func bucketMid(i int) float64 {
	if i < subCount {
		return float64(i)
	}
	k := i - subCount
	exp := k/halfCount + subBits
	shift := uint(exp - (subBits - 1))
	lo := int64(k%halfCount+halfCount) << shift
	return float64(lo) + float64(int64(1)<<shift)/2
}

// shard is the part of a step's statistics a subset of the clients writes to. Clients are spread over shards so
// that their atomic adds rarely meet on one cache line; each shard is about 11 KB, so shards never share one.
type shard struct {
	delivered atomic.Int64
	maxNanos  atomic.Int64
	buckets   [numBuckets]atomic.Int64
}

const numShards = 32

func (s *shard) record(latencyNanos int64) {
	if latencyNanos < 0 {
		latencyNanos = 0
	}
	s.delivered.Add(1)
	s.buckets[bucketOf(latencyNanos/1000)].Add(1)
	for {
		m := s.maxNanos.Load()
		if latencyNanos <= m || s.maxNanos.CompareAndSwap(m, latencyNanos) {
			return
		}
	}
}

// stepStats collects one rate step. Each step gets a fresh one, published through an atomic pointer, so a
// straggler from the previous step can never land in the next step's counts and nothing has to be reset.
type stepStats struct {
	from, to int64 // measuring window, Unix ns: a publish counts when its "t" is in [from, to)

	shards     [numShards]shard
	duplicates atomic.Int64 // a client saw the same "seq" twice in a row
	reordered  atomic.Int64 // a client saw a "seq" lower than the previous one

	published atomic.Int64 // POSTs sent with t in the window
	accepted  atomic.Int64 // ... answered 2xx
	failed    atomic.Int64 // ... answered otherwise, or not at all
	firstErr  atomic.Value // string: the first failure, for the progress line
}

var current atomic.Pointer[stepStats]

type summary struct {
	delivered, duplicates, reordered int64
	p50, p99, p999, max              float64 // milliseconds
}

func (st *stepStats) summarise() summary {
	var merged [numBuckets]int64
	var s summary
	var maxNanos int64
	for i := range st.shards {
		sh := &st.shards[i]
		s.delivered += sh.delivered.Load()
		if m := sh.maxNanos.Load(); m > maxNanos {
			maxNanos = m
		}
		for b := range sh.buckets {
			merged[b] += sh.buckets[b].Load()
		}
	}
	var total int64
	for _, n := range merged {
		total += n
	}
	// The rank of quantile q is ceil(q × total): the value at or below which that share of samples lies.
	quantile := func(q float64) float64 {
		if total == 0 {
			return 0
		}
		rank := int64(math.Ceil(q * float64(total)))
		var seen int64
		for b, n := range merged {
			seen += n
			if seen >= rank {
				return bucketMid(b) / 1000
			}
		}
		return bucketMid(numBuckets-1) / 1000
	}
	s.p50, s.p99, s.p999 = quantile(0.50), quantile(0.99), quantile(0.999)
	s.max = float64(maxNanos) / 1e6
	// A bucket's middle can exceed the largest sample in it; no percentile is above the maximum.
	s.p50, s.p99, s.p999 = math.Min(s.p50, s.max), math.Min(s.p99, s.max), math.Min(s.p999, s.max)
	s.duplicates, s.reordered = st.duplicates.Load(), st.reordered.Load()
	return s
}

// ---- receiving clients ---------------------------------------------------------------------------------------

var (
	keyT   = []byte(`"t":`)
	keySeq = []byte(`"seq":`)
)

// intAfter finds key in msg and parses the (non-negative) integer after it. It is a byte search, not a JSON
// decode: at a million messages per second on two shared cores a decode per message would cost the server
// under test a large part of its CPU. `"t":` cannot match inside "timestamp" or "type" (the quote closes it).
func intAfter(msg, key []byte) (int64, bool) {
	i := bytes.Index(msg, key)
	if i < 0 {
		return 0, false
	}
	i += len(key)
	for i < len(msg) && msg[i] == ' ' {
		i++
	}
	start := i
	var v int64
	for i < len(msg) && msg[i] >= '0' && msg[i] <= '9' {
		v = v*10 + int64(msg[i]-'0')
		i++
	}
	return v, i > start
}

type client struct {
	conn    *websocket.Conn
	shard   int
	lastSeq int64 // only the client's own reading goroutine touches it
}

var openClients atomic.Int64

func (c *client) readLoop(reuse bool) {
	defer openClients.Add(-1)
	var buf []byte
	for {
		var typ int
		var msg []byte
		var err error
		if reuse {
			var r io.Reader
			if typ, r, err = c.conn.NextReader(); err == nil {
				buf, err = readInto(buf[:0], r)
				msg = buf
			}
		} else {
			// The idiomatic gorilla loop: one fresh slice per message. Pings are answered by gorilla's default
			// handler from inside this call, which keeps servers with a heartbeat timeout happy.
			typ, msg, err = c.conn.ReadMessage()
		}
		if err != nil {
			return
		}
		if typ == websocket.TextMessage {
			c.handle(msg)
		}
	}
}

// readInto appends all of r to buf, growing it only when a message is larger than any before it.
func readInto(buf []byte, r io.Reader) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (c *client) handle(msg []byte) {
	t, ok := intAfter(msg, keyT)
	if !ok {
		return // welcome, pong or another producer's event
	}
	now := nowNanos()
	st := current.Load()
	if seq, ok := intAfter(msg, keySeq); ok { // push-hub's envelope carries one; the Go peer's does not
		switch {
		case seq == c.lastSeq:
			st.duplicates.Add(1)
		case seq < c.lastSeq:
			st.reordered.Add(1)
		}
		c.lastSeq = seq
	}
	if t >= st.from && t < st.to {
		st.shards[c.shard].record(now - t)
	}
}

// connect dials every client in waves of cfg.waveSize concurrent handshakes, starting each client's reader as
// soon as it is connected so the servers' welcome messages and pings are consumed from the start.
func connect(cfg config) ([]*client, error) {
	dialer := &websocket.Dialer{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   4096,
		WriteBufferSize:  512, // the clients only ever write pongs and a close frame
	}
	clients := make([]*client, cfg.clients)
	started := time.Now()
	lastReport := time.Time{}
	for base := 0; base < cfg.clients; base += cfg.waveSize {
		end := base + cfg.waveSize
		if end > cfg.clients {
			end = cfg.clients
		}
		errs := make([]error, end-base)
		var wg sync.WaitGroup
		for i := base; i < end; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				conn, resp, err := dialer.Dial(cfg.wsURL, nil)
				if err != nil {
					if resp != nil {
						err = fmt.Errorf("%w (HTTP %s)", err, resp.Status)
					}
					errs[i-base] = err
					return
				}
				c := &client{conn: conn, shard: i % numShards, lastSeq: -1}
				clients[i] = c
				openClients.Add(1)
				go c.readLoop(cfg.reuse)
			}(i)
		}
		wg.Wait()
		failed := 0
		var first error
		for _, err := range errs {
			if err != nil {
				failed++
				if first == nil {
					first = err
				}
			}
		}
		if failed > 0 {
			closeAll(clients)
			return nil, fmt.Errorf("%d of %d dials of clients %d-%d failed, first: %v", failed, end-base, base+1, end, first)
		}
		if end == cfg.clients || time.Since(lastReport) >= 500*time.Millisecond {
			fmt.Fprintf(os.Stderr, "connected %d/%d (%.1f s)\n", end, cfg.clients, time.Since(started).Seconds())
			lastReport = time.Now()
		}
	}
	return clients, nil
}

// closeAll sends each open client a close frame and drops the connection; best effort, at exit.
func closeAll(clients []*client) {
	deadline := time.Now().Add(time.Second)
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	for _, c := range clients {
		if c != nil {
			c.conn.WriteControl(websocket.CloseMessage, msg, deadline)
			c.conn.Close()
		}
	}
}

// ---- publishing ----------------------------------------------------------------------------------------------

const bodySize = 128

// appendBody writes a stats_update of exactly bodySize bytes (while the number fits) into buf.
func appendBody(buf []byte, t, i int64) []byte {
	buf = append(buf[:0], `{"type":"stats_update","data":{"stats":{"t":`...)
	buf = strconv.AppendInt(buf, t, 10)
	buf = append(buf, `,"i":`...)
	buf = strconv.AppendInt(buf, i, 10)
	buf = append(buf, `,"pad":"`...)
	const tail = `"}}}`
	for len(buf) < bodySize-len(tail) {
		buf = append(buf, 'x')
	}
	return append(buf, tail...)
}

type publisher struct {
	cfg    config
	client *http.Client
	next   atomic.Int64 // publish number, across all steps
}

func newPublisher(cfg config) *publisher {
	tr := &http.Transport{
		MaxIdleConns:        cfg.workers,
		MaxIdleConnsPerHost: cfg.workers, // the default of 2 would close and reopen connections all the time
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &publisher{cfg: cfg, client: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// runStep publishes at rate for warmup+step. The pacer hands each due publish to whichever worker is free; the
// schedule is absolute (publish n is due at start + n/rate), so timer lateness is caught up rather than lost,
// and when all workers are busy the pacer waits, which makes the step publish as fast as the workers can.
func (p *publisher) runStep(st *stepStats, rate float64, start, end time.Time) {
	endNanos := epochUnix + int64(end.Sub(epoch))
	due := make(chan struct{}) // unbuffered: a publish is only handed out when a worker is ready for it
	var wg sync.WaitGroup
	for w := 0; w < p.cfg.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 2*bodySize)
			for range due {
				t := nowNanos()
				if t >= endNanos {
					continue // handed out just before the end but picked up after it
				}
				buf = appendBody(buf, t, p.next.Add(1))
				ok, err := p.post(buf)
				if t >= st.from && t < st.to {
					st.published.Add(1)
					if ok {
						st.accepted.Add(1)
					} else {
						st.failed.Add(1)
						st.firstErr.CompareAndSwap(nil, err.Error())
					}
				}
			}
		}()
	}
	interval := float64(time.Second) / rate
	for n := 0; ; n++ {
		at := start.Add(time.Duration(float64(n) * interval))
		if !at.Before(end) {
			break
		}
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		due <- struct{}{}
	}
	close(due)
	wg.Wait()
}

func (p *publisher) post(body []byte) (bool, error) {
	req, err := http.NewRequest(http.MethodPost, p.cfg.publishURL, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.cfg.apiKey != "" {
		req.Header.Set("X-API-Key", p.cfg.apiKey)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return false, err
	}
	// Read the body to the end, or the connection cannot be reused for the next publish.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64*1024))
	resp.Body.Close()
	// Any 2xx is an accepted publish: Herald and the Go hub answer 200 or 202, Nchan 201 when the channel has
	// subscribers (202 when it has none).
	if resp.StatusCode/100 != 2 {
		return false, errors.New("HTTP " + resp.Status)
	}
	return true, nil
}

// ---- main ----------------------------------------------------------------------------------------------------

// result is the JSON line printed per step; the first fields are the contract, the last three extras.
type result struct {
	Rate            float64 `json:"rate"`
	Published       int64   `json:"published"`
	Accepted        int64   `json:"accepted"`
	PublishRate     float64 `json:"publishRate"`
	Delivered       int64   `json:"delivered"`
	DeliveredPerSec float64 `json:"deliveredPerSec"`
	Expected        int64   `json:"expected"`
	P50Ms           float64 `json:"p50Ms"`
	P99Ms           float64 `json:"p99Ms"`
	P999Ms          float64 `json:"p999Ms"`
	MaxMs           float64 `json:"maxMs"`
	Duplicates      int64   `json:"duplicates"`
	Reordered       int64   `json:"reordered"`
	OpenClients     int64   `json:"openClients"`
}

func round(v float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(v*p) / p
}

// ensureFileLimit raises the soft open-file limit to the hard one when the run needs more descriptors than the
// soft limit allows (Go 1.19 does not do this by itself), and fails early, clearly, when even that is too few.
func ensureFileLimit(clients int, need uint64) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return nil // cannot tell: let the dials report it
	}
	if lim.Cur >= need {
		return nil
	}
	if lim.Max >= need {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%d clients need about %d open files but the limit is %d (hard %d): lower -clients or raise ulimit -n",
		clients, need, lim.Cur, lim.Max)
}

func main() {
	cfg := parseFlags()
	// One descriptor per client, one per publishing connection, and some for the runtime and stdio.
	if err := ensureFileLimit(cfg.clients, uint64(cfg.clients+cfg.workers+64)); err != nil {
		fail("%v", err)
	}
	// Until the first step starts, no publish is in a window.
	current.Store(&stepStats{})

	connectStart := time.Now()
	clients, err := connect(cfg)
	if err != nil {
		fail("cannot connect to %s: %v", cfg.wsURL, err)
	}
	pub := newPublisher(cfg)
	out := json.NewEncoder(os.Stdout) // Encode writes one line per value
	// Marks on stdout the moment the first step starts, so a caller can sample the server from here (the
	// "event" field tells this line from the step results).
	connected := struct {
		Event     string  `json:"event"`
		Clients   int     `json:"clients"`
		ConnectMs float64 `json:"connectMs"`
	}{"connected", cfg.clients, round(float64(time.Since(connectStart))/1e6, 1)}
	if err := out.Encode(connected); err != nil {
		fail("writing to stdout: %v", err)
	}

	for _, rate := range cfg.rates {
		start := time.Now()
		from := start.Add(cfg.warmup)
		end := from.Add(cfg.step)
		st := &stepStats{from: epochUnix + int64(from.Sub(epoch)), to: epochUnix + int64(end.Sub(epoch))}
		current.Store(st)
		fmt.Fprintf(os.Stderr, "rate %g/s: %s warm-up, %s measured, %d clients open\n", rate, cfg.warmup, cfg.step, openClients.Load())

		pub.runStep(st, rate, start, end)
		time.Sleep(cfg.drain) // stragglers: messages published in the window still on their way

		s := st.summarise()
		secs := cfg.step.Seconds()
		r := result{
			Rate:            rate,
			Published:       st.published.Load(),
			Accepted:        st.accepted.Load(),
			PublishRate:     round(float64(st.published.Load())/secs, 1),
			Delivered:       s.delivered,
			DeliveredPerSec: round(float64(s.delivered)/secs, 1),
			Expected:        st.accepted.Load() * int64(cfg.clients),
			P50Ms:           round(s.p50, 3),
			P99Ms:           round(s.p99, 3),
			P999Ms:          round(s.p999, 3),
			MaxMs:           round(s.max, 3),
			Duplicates:      s.duplicates,
			Reordered:       s.reordered,
			OpenClients:     openClients.Load(),
		}
		if err := out.Encode(r); err != nil {
			fail("writing to stdout: %v", err)
		}

		share := 0.0
		if r.Expected > 0 {
			share = 100 * float64(r.Delivered) / float64(r.Expected)
		}
		fmt.Fprintf(os.Stderr, "rate %g/s: published %d (%.1f/s), accepted %d, delivered %d of %d (%.2f %%, %.0f/s), p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n",
			rate, r.Published, r.PublishRate, r.Accepted, r.Delivered, r.Expected, share, r.DeliveredPerSec, r.P50Ms, r.P99Ms, r.P999Ms, r.MaxMs)
		if n := st.failed.Load(); n > 0 {
			fmt.Fprintf(os.Stderr, "rate %g/s: %d publishes failed, first: %v\n", rate, n, st.firstErr.Load())
		}
		if r.Duplicates > 0 || r.Reordered > 0 {
			fmt.Fprintf(os.Stderr, "rate %g/s: %d duplicates, %d out of order\n", rate, r.Duplicates, r.Reordered)
		}
		if r.OpenClients < int64(cfg.clients) {
			fmt.Fprintf(os.Stderr, "rate %g/s: %d of %d clients closed by the server\n", rate, int64(cfg.clients)-r.OpenClients, cfg.clients)
		}
	}
	closeAll(clients)
}
