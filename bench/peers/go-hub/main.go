// A reference WebSocket push hub in the canonical gorilla/websocket shape: one hub goroutine owns the client
// set; each client has a reader and a writer goroutine and a buffered send channel; a client whose channel is
// full is dropped. It serves the same contract as Herald's push-hub so one load generator drives both.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait      = 10 * time.Second
	pongWait       = 60 * time.Second
	pingPeriod     = (pongWait * 9) / 10
	maxMessageSize = 512
	sendBuffer     = 256
)

type client struct {
	hub  *hub
	conn *websocket.Conn
	send chan []byte
}

type hub struct {
	clients    map[*client]bool
	broadcast  chan []byte
	register   chan *client
	unregister chan *client
	count      chan chan int
	direct     chan direct
}

type direct struct {
	to  *client
	msg []byte
}

func newHub() *hub {
	return &hub{clients: map[*client]bool{}, broadcast: make(chan []byte, 1024),
		register: make(chan *client), unregister: make(chan *client), count: make(chan chan int), direct: make(chan direct)}
}

func (h *hub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case msg := <-h.broadcast:
			for c := range h.clients {
				select {
				case c.send <- msg:
				default: // too slow: drop the client, as the pattern does
					delete(h.clients, c)
					close(c.send)
				}
			}
		case d := <-h.direct:
			if h.clients[d.to] {
				select {
				case d.to.send <- d.msg:
				default:
				}
			}
		case reply := <-h.count:
			reply <- len(h.clients)
		}
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func envelope(typ string, data interface{}) []byte {
	b, _ := json.Marshal(map[string]interface{}{"type": typ, "data": data, "timestamp": now()})
	return b
}

func (c *client) readPump() {
	defer func() { c.hub.unregister <- c; c.conn.Close() }()
	c.conn.SetReadLimit(maxMessageSize)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { c.conn.SetReadDeadline(time.Now().Add(pongWait)); return nil })
	for {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		var in struct{ Type string }
		if json.Unmarshal(msg, &in) == nil && in.Type == "ping" {
			// Through the hub: only it may send on (or close) a client's channel.
			c.hub.direct <- direct{c, envelope("pong", map[string]string{"timestamp": now()})}
		}
	}
}

func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() { ticker.Stop(); c.conn.Close() }()
	for {
		select {
		case msg, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			// One frame per message: clients parse one JSON document per frame.
			if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

var upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024,
	CheckOrigin: func(r *http.Request) bool { return true }}

func main() {
	h := newHub()
	go h.run()
	http.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &client{hub: h, conn: conn, send: make(chan []byte, sendBuffer)}
		c.send <- envelope("connection_established", map[string]string{"status": "connected"})
		h.register <- c
		go c.writePump()
		go c.readPump()
	})
	http.HandleFunc("/api/v1/broadcast", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64*1024))
		var in struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if r.Method != http.MethodPost || err != nil || json.Unmarshal(body, &in) != nil || in.Type == "" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"invalid_message"}`))
			return
		}
		h.broadcast <- envelope(in.Type, in.Data) // serialised once, shared by every client
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"status":"accepted"}`))
	})
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		reply := make(chan int)
		h.count <- reply
		fmt.Fprintf(w, `{"status":"ok","clients":%d}`, <-reply)
	})
	addr := "127.0.0.1:" + os.Getenv("PORT")
	fmt.Println("ready")
	log.Fatal(http.ListenAndServe(addr, nil))
}
