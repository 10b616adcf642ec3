// The floor: the least work a push hub can do per event, as a measuring stick for the benchmark's steady
// scenario. It is not a server anyone should run: no heartbeat, no limits, no JSON, no origin check. It serves
// push-hub's contract just far enough for the load generator (GET /ws, POST /api/v1/broadcast, GET /health) and
// forwards each published body, unparsed, as one WebSocket text frame built once, to every client.
//
// Shape: FLOOR_THREADS (default 2) threads, each with its own epoll set and its own listening socket on the same
// port (SO_REUSEPORT, so the kernel spreads connections over them). The thread that receives a publish queues the
// frame for the others (eventfd wake-up), then writes it to its own clients: one write() per client, as every
// server must on TCP. A client whose socket is full gets the rest buffered and written when it drains.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_CAP 65536
#define OUT_CAP (1 << 20)

typedef struct frame {
  atomic_int refs;
  struct frame *next;  // in a loop's inbox
  int len;
  char data[];
} frame;

typedef struct conn {
  int fd;
  int ws;     // upgraded
  int index;  // in its loop's client array, when ws
  int inlen;
  char *out;  // unsent bytes, when the socket was full
  int outlen;
  struct conn *dead;  // next in its loop's list of closed connections
  char in[IN_CAP];
} conn;

typedef struct loop {
  int ep, listener, wake;
  conn **clients;
  int nclients, cap;
  pthread_mutex_t mu;
  frame *head, *tail;  // frames other threads published, oldest first
  conn *dead;          // closed during this epoll batch: freed after it, as later events may still name them
} loop;

static loop *loops;
static int nloops, port;
static char listen_mark, wake_mark;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void unref(frame *f) {
  if (atomic_fetch_sub(&f->refs, 1) == 1) free(f);
}

static void close_conn(loop *l, conn *c) {
  if (c->ws) {
    conn *last = l->clients[--l->nclients];
    l->clients[c->index] = last;
    last->index = c->index;
  }
  close(c->fd);
  c->fd = -1;
  c->ws = 0;
  c->dead = l->dead;
  l->dead = c;
}

static int arm(loop *l, conn *c, int writable) {
  struct epoll_event ev = {.events = EPOLLIN | (writable ? EPOLLOUT : 0), .data.ptr = c};
  return epoll_ctl(l->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

// Writes what it can; keeps the rest for EPOLLOUT. Returns -1 when the connection must close.
static int send_bytes(loop *l, conn *c, const char *p, int n) {
  if (c->outlen == 0) {
    ssize_t w = write(c->fd, p, n);
    if (w == n) return 0;
    if (w < 0 && errno != EAGAIN) return -1;
    if (w > 0) p += w, n -= (int)w;
    if (arm(l, c, 1) < 0) return -1;
  }
  if (c->outlen + n > OUT_CAP) return -1;
  if (!c->out) c->out = malloc(OUT_CAP);
  memcpy(c->out + c->outlen, p, n);
  c->outlen += n;
  return 0;
}

static void flush_out(loop *l, conn *c) {
  ssize_t w = write(c->fd, c->out, c->outlen);
  if (w < 0) {
    if (errno != EAGAIN) close_conn(l, c);
    return;
  }
  memmove(c->out, c->out + w, c->outlen - w);
  c->outlen -= (int)w;
  if (c->outlen == 0) arm(l, c, 0);
}

static void fan_out(loop *l, frame *f) {
  for (int i = 0; i < l->nclients;) {
    conn *c = l->clients[i];
    if (send_bytes(l, c, f->data, f->len) < 0) close_conn(l, c);  // the last client moved to i
    else i++;
  }
}

static void publish(loop *self, const char *body, int n) {
  int header = n < 126 ? 2 : 4;
  frame *f = malloc(sizeof(frame) + header + n);
  f->data[0] = (char)0x81;
  if (n < 126) {
    f->data[1] = (char)n;
  } else {  // bodies are under 64 KiB (IN_CAP)
    f->data[1] = 126;
    f->data[2] = (char)(n >> 8);
    f->data[3] = (char)n;
  }
  memcpy(f->data + header, body, n);
  f->len = header + n;
  f->next = NULL;
  atomic_init(&f->refs, nloops);
  for (int i = 0; i < nloops; i++) {
    loop *o = &loops[i];
    if (o == self) continue;
    pthread_mutex_lock(&o->mu);
    if (o->tail) o->tail->next = f;
    else o->head = f;
    o->tail = f;
    pthread_mutex_unlock(&o->mu);
    uint64_t one = 1;
    if (write(o->wake, &one, 8) < 0) die("eventfd");
  }
  fan_out(self, f);
  unref(f);
}

static void inbox(loop *l) {
  uint64_t count;
  if (read(l->wake, &count, 8) < 0 && errno != EAGAIN) die("eventfd");
  pthread_mutex_lock(&l->mu);
  frame *f = l->head;
  l->head = l->tail = NULL;
  pthread_mutex_unlock(&l->mu);
  while (f) {
    frame *next = f->next;
    fan_out(l, f);
    unref(f);
    f = next;
  }
}

// The value of header `name` within [head, end), trimmed, or NULL.
static const char *header(const char *head, const char *end, const char *name, int *len) {
  size_t k = strlen(name);
  for (const char *p = head; p && p < end; p = memchr(p, '\n', end - p), p = p ? p + 1 : NULL) {
    if (end - p > (long)k && strncasecmp(p, name, k) == 0 && p[k] == ':') {
      const char *v = p + k + 1;
      while (*v == ' ') v++;
      const char *e = v;
      while (e < end && *e != '\r' && *e != '\n') e++;
      *len = (int)(e - v);
      return v;
    }
  }
  return NULL;
}

static int accept_key(const char *key, int klen, char out[29]) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char text[128];
  if (klen > 64) return -1;
  memcpy(text, key, klen);
  memcpy(text + klen, guid, sizeof guid - 1);
  unsigned char d[21] = {0};
  SHA1((unsigned char *)text, klen + sizeof guid - 1, d);
  for (int i = 0, o = 0; i < 21; i += 3) {  // 20 bytes: six full groups and one of two bytes
    unsigned v = d[i] << 16 | d[i + 1] << 8 | (i + 2 < 20 ? d[i + 2] : 0);
    out[o++] = b64[v >> 18 & 63];
    out[o++] = b64[v >> 12 & 63];
    out[o++] = b64[v >> 6 & 63];
    out[o++] = i + 2 < 20 ? b64[v & 63] : '=';
  }
  out[28] = 0;
  return 0;
}

static void reply(loop *l, conn *c, const char *status, const char *body) {
  char r[256];
  int n = snprintf(r, sizeof r, "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", status, strlen(body), body);
  send_bytes(l, c, r, n);
}

// Handles complete HTTP requests at the start of c->in; returns the bytes consumed, or -1 to close.
static int request(loop *l, conn *c) {
  char *end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
  if (!end) return c->inlen == IN_CAP ? -1 : 0;
  int head = (int)(end + 4 - c->in);
  int blen = 0, klen;
  const char *cl = header(c->in, end, "Content-Length", &klen);
  if (cl) blen = atoi(cl);
  if (blen < 0 || head + blen > IN_CAP) return -1;
  if (c->inlen < head + blen) return 0;
  if (strncmp(c->in, "POST /api/v1/broadcast ", 23) == 0) {
    publish(l, c->in + head, blen);
    reply(l, c, "202 Accepted", "{\"status\":\"accepted\"}");
  } else if (strncmp(c->in, "GET /ws", 7) == 0) {
    const char *key = header(c->in, end, "Sec-WebSocket-Key", &klen);
    char acc[29];
    if (!key || accept_key(key, klen, acc) < 0) return -1;
    char r[256];
    int n = snprintf(r, sizeof r, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", acc);
    if (send_bytes(l, c, r, n) < 0) return -1;
    if (l->nclients == l->cap) {
      l->cap = l->cap ? 2 * l->cap : 1024;
      l->clients = realloc(l->clients, l->cap * sizeof(conn *));
    }
    c->ws = 1;
    c->index = l->nclients;
    l->clients[l->nclients++] = c;
  } else if (strncmp(c->in, "GET /health", 11) == 0) {
    reply(l, c, "200 OK", "{\"status\":\"ok\"}");
  } else {
    reply(l, c, "404 Not Found", "{\"error\":\"not found\"}");
  }
  return head + blen;
}

static void readable(loop *l, conn *c) {
  ssize_t n = read(c->fd, c->in + c->inlen, IN_CAP - c->inlen);
  if (n <= 0) {
    if (n == 0 || errno != EAGAIN) close_conn(l, c);
    return;
  }
  if (c->ws) return;  // what clients send (pongs, a close frame) needs no answer here
  c->inlen += (int)n;
  for (;;) {
    int used = request(l, c);
    if (used < 0) {
      close_conn(l, c);
      return;
    }
    if (used == 0) return;
    memmove(c->in, c->in + used, c->inlen - used);
    c->inlen -= used;
    if (c->ws) return;
  }
}

static void *run(void *arg) {
  loop *l = arg;
  struct epoll_event evs[256];
  for (;;) {
    int n = epoll_wait(l->ep, evs, 256, -1);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; i++) {
      void *p = evs[i].data.ptr;
      if (p == &listen_mark) {
        for (int fd; (fd = accept4(l->listener, NULL, NULL, SOCK_NONBLOCK)) >= 0;) {
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          conn *c = calloc(1, sizeof(conn));
          c->fd = fd;
          struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev);
        }
      } else if (p == &wake_mark) {
        inbox(l);
      } else {
        conn *c = p;
        if (c->fd < 0) continue;
        if (evs[i].events & EPOLLOUT) flush_out(l, c);  // reading waits for the next round (level-triggered)
        else readable(l, c);
      }
    }
    for (conn *c; (c = l->dead);) {
      l->dead = c->dead;
      free(c->out);
      free(c);
    }
  }
  return NULL;
}

static void open_loop(loop *l) {
  l->listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(l->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(l->listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(l->listener, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  if (listen(l->listener, 4096) < 0) die("listen");
  l->ep = epoll_create1(0);
  l->wake = eventfd(0, EFD_NONBLOCK);
  pthread_mutex_init(&l->mu, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &listen_mark};
  epoll_ctl(l->ep, EPOLL_CTL_ADD, l->listener, &ev);
  ev.data.ptr = &wake_mark;
  epoll_ctl(l->ep, EPOLL_CTL_ADD, l->wake, &ev);
}

int main(void) {
  const char *p = getenv("PORT"), *t = getenv("FLOOR_THREADS");
  port = p ? atoi(p) : 8080;
  nloops = t ? atoi(t) : 2;
  struct rlimit r;
  getrlimit(RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
  loops = calloc(nloops, sizeof(loop));
  for (int i = 0; i < nloops; i++) open_loop(&loops[i]);
  pthread_t th;
  for (int i = 1; i < nloops; i++) pthread_create(&th, NULL, run, &loops[i]);
  fprintf(stderr, "floor listening on 127.0.0.1:%d with %d threads\n", port, nloops);
  run(&loops[0]);
}
