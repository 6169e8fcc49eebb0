/* A byte-level Aho-Corasick scanner for the demand tagger: one DFA pass over a batch of NUL-separated
 * documents that returns its matches as packed arrays (no Python object per match).
 *
 * Automaton(patterns, need_left, need_right, keep_all)
 *     patterns: list of non-empty bytes (pattern id = index); a pattern holding a NUL byte never matches.
 *     need_left / need_right: bytes of 0/1 per pattern: the match must not be preceded / followed by an ASCII
 *     letter or digit. keep_all: 0/1 per pattern: report every match, not only the first per document.
 * Automaton.scan(buf, first_only=True, bounds=True) -> (pid, doc, start, end, in_title)
 *     buf: bytes whose documents are separated by NUL bytes (it starts with one). Matches are reported in order
 *     of end offset and, at one end offset, longest first (the order of an overlapping Aho-Corasick search).
 *     pid, doc, start, end are packed native int32 (start/end relative to the document), in_title packed
 *     uint8: 1 when the match ends before the document's first newline. bounds=False skips the word-boundary
 *     test, first_only=False reports repeats.
 *
 * The DFA has one row per trie state and one column per byte class (bytes that occur in no pattern share
 * class 0), plus a column holding the first state of the row's output chain. Each cell holds
 * (row offset of the next state << 1) | (the next state or a state on its suffix chain ends a pattern).
 * The scan walks four runs of whole documents in lockstep (see scan_streams).
 *
 * prepare(titles, texts) and group_hits(...) serve matcher.prepare and tagger._tag_groups; see each function.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    int32_t n_states;
    int32_t n_classes;
    int32_t n_patterns;
    uint8_t cls[256];
    int32_t *delta;     /* n_states * n_classes, (next << 1) | has_output */
    int32_t *own;       /* per state: the pattern ending exactly here, or -1 */
    int32_t *out_first; /* per state: first state on its suffix chain (itself included) with own >= 0, or -1 */
    int32_t *dict_link; /* per state: next state after it on that chain, or -1 */
    int32_t *plen;      /* per pattern: length in bytes */
    uint8_t *flags;     /* per pattern: 1 need_left, 2 need_right, 4 keep_all */
} Automaton;

static uint8_t ALNUM[256];
/* Bit c set: the BMP character c changes under str.lower() (or is a surrogate), so this pass cannot lower it. */
static uint8_t BMP_CASED[0x10000 / 8];
/* ASCII normalised: lower case, NUL to space; in titles line breaks to spaces as well. */
static unsigned char ASCII_TEXT[128], ASCII_TITLE[128];

static void automaton_dealloc(Automaton *self) {
    free(self->delta);
    free(self->own);
    free(self->out_first);
    free(self->dict_link);
    free(self->plen);
    free(self->flags);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* A C-contiguous buffer of exactly n items of itemsize bytes, or -1 with a ValueError naming it. */
static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, Py_ssize_t n, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (view->len != itemsize * n) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd bytes, got %zd", name, itemsize * n, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int read_flags(PyObject *obj, Py_ssize_t n, uint8_t *out, uint8_t bit, const char *name) {
    Py_buffer view;
    if (get_buffer(obj, &view, 1, n, name) < 0) return -1;
    const uint8_t *p = (const uint8_t *)view.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (p[i]) out[i] |= bit;
    PyBuffer_Release(&view);
    return 0;
}

static int automaton_init(Automaton *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"patterns", "need_left", "need_right", "keep_all", NULL};
    PyObject *patterns, *need_left, *need_right, *keep_all;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO", kwlist, &patterns, &need_left, &need_right, &keep_all))
        return -1;
    if (self->delta) { /* a scan in another thread may be reading the tables: they never change once built */
        PyErr_SetString(PyExc_TypeError, "Automaton is already initialised");
        return -1;
    }
    PyObject *seq = PySequence_Fast(patterns, "patterns must be a sequence of bytes");
    if (!seq) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "too many patterns");
        Py_DECREF(seq);
        return -1;
    }
    int32_t *delta = NULL, *own = NULL, *fail = NULL, *queue = NULL, *out_first = NULL, *dict_link = NULL;
    int32_t *plen = calloc(n ? n : 1, sizeof(int32_t));
    uint8_t *flags = calloc(n ? n : 1, 1);
    int ok = 0;
    if (!plen || !flags) {
        PyErr_NoMemory();
        goto done;
    }
    /* byte classes and the number of trie states needed at most */
    uint8_t seen[256] = {0};
    Py_ssize_t total = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyBytes_Check(item) || PyBytes_GET_SIZE(item) == 0) {
            PyErr_Format(PyExc_TypeError, "pattern %zd: expected non-empty bytes", i);
            goto done;
        }
        const uint8_t *p = (const uint8_t *)PyBytes_AS_STRING(item);
        Py_ssize_t len = PyBytes_GET_SIZE(item);
        if (len > INT32_MAX / 4 || total > INT32_MAX / 4) {
            PyErr_SetString(PyExc_ValueError, "patterns too long");
            goto done;
        }
        plen[i] = (int32_t)len;
        if (memchr(p, 0, len)) continue;
        for (Py_ssize_t j = 0; j < len; j++) seen[p[j]] = 1;
        total += len;
    }
    if (read_flags(need_left, n, flags, 1, "need_left") < 0 || read_flags(need_right, n, flags, 2, "need_right") < 0 ||
        read_flags(keep_all, n, flags, 4, "keep_all") < 0)
        goto done;
    memset(self->cls, 0, 256);
    int32_t nc = 1;
    for (int b = 0; b < 256; b++)
        if (seen[b]) self->cls[b] = (uint8_t)nc++;
    if ((int64_t)total * (nc + 1) > INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "keyword table too large for the scanner");
        goto done;
    }
    delta = calloc((size_t)total * nc, sizeof(int32_t));
    own = malloc(total * sizeof(int32_t));
    fail = calloc(total, sizeof(int32_t));
    queue = malloc(total * sizeof(int32_t));
    if (!delta || !own || !fail || !queue) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < total; s++) own[s] = -1;
    /* the trie: delta holds child + 1 (0 = no child) until the breadth-first pass */
    int32_t n_states = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        const uint8_t *p = (const uint8_t *)PyBytes_AS_STRING(item);
        Py_ssize_t len = PyBytes_GET_SIZE(item);
        if (memchr(p, 0, len)) continue;
        int32_t s = 0;
        for (Py_ssize_t j = 0; j < len; j++) {
            int32_t *cell = &delta[(size_t)s * nc + self->cls[p[j]]];
            if (*cell == 0) *cell = ++n_states;
            s = *cell - 1;
        }
        if (own[s] < 0) own[s] = (int32_t)i;
    }
    /* failure links breadth first, completing each row into DFA transitions */
    Py_ssize_t head = 0, tail = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t child = delta[c];
        if (child) {
            fail[child - 1] = 0;
            queue[tail++] = child - 1;
            delta[c] = child - 1;
        }
    }
    while (head < tail) {
        int32_t s = queue[head++];
        int32_t *row = &delta[(size_t)s * nc];
        const int32_t *frow = &delta[(size_t)fail[s] * nc];
        for (int32_t c = 0; c < nc; c++) {
            if (row[c]) {
                int32_t child = row[c] - 1;
                fail[child] = frow[c];
                queue[tail++] = child;
                row[c] = child;
            } else {
                row[c] = frow[c];
            }
        }
    }
    out_first = malloc(n_states * sizeof(int32_t));
    dict_link = malloc(n_states * sizeof(int32_t));
    if (!out_first || !dict_link) {
        PyErr_NoMemory();
        goto done;
    }
    out_first[0] = own[0];
    dict_link[0] = -1;
    for (Py_ssize_t q = 0; q < tail; q++) { /* breadth first: a state's failure state is done before it */
        int32_t s = queue[q], f = fail[s];
        dict_link[s] = own[f] >= 0 ? f : dict_link[f];
        out_first[s] = own[s] >= 0 ? s : dict_link[s];
    }
    /* rows of width nc + 1: cells hold (row offset of the next state << 1) | has_output, the extra column the
     * first state of the row's output chain */
    int32_t width = nc + 1;
    int32_t *rows = malloc((size_t)n_states * width * sizeof(int32_t));
    if (!rows) {
        PyErr_NoMemory();
        goto done;
    }
    for (int32_t st = 0; st < n_states; st++) {
        for (int32_t c = 0; c < nc; c++) {
            int32_t t = delta[(size_t)st * nc + c];
            rows[(size_t)st * width + c] = ((t * width) << 1) | (out_first[t] >= 0);
        }
        rows[(size_t)st * width + nc] = out_first[st];
    }
    free(delta);
    delta = rows;
    self->delta = delta;
    self->own = own;
    self->out_first = out_first;
    self->dict_link = dict_link;
    self->plen = plen;
    self->flags = flags;
    self->n_states = n_states;
    self->n_classes = nc;
    self->n_patterns = (int32_t)n;
    delta = own = out_first = dict_link = plen = NULL;
    flags = NULL;
    ok = 1;
done:
    free(delta);
    free(own);
    free(fail);
    free(queue);
    free(out_first);
    free(dict_link);
    free(plen);
    free(flags);
    Py_DECREF(seq);
    return ok ? 0 : -1;
}

typedef struct {
    int32_t *pid, *doc, *start, *end;
    uint8_t *title;
    size_t n, cap;
} Matches;

static int matches_grow(Matches *m) {
    size_t cap = m->cap ? m->cap * 2 : 4096;
    int32_t *a = realloc(m->pid, cap * sizeof(int32_t));
    if (!a) return -1;
    m->pid = a;
    if (!(a = realloc(m->doc, cap * sizeof(int32_t)))) return -1;
    m->doc = a;
    if (!(a = realloc(m->start, cap * sizeof(int32_t)))) return -1;
    m->start = a;
    if (!(a = realloc(m->end, cap * sizeof(int32_t)))) return -1;
    m->end = a;
    uint8_t *t = realloc(m->title, cap);
    if (!t) return -1;
    m->title = t;
    m->cap = cap;
    return 0;
}

static void matches_free(Matches *m) {
    free(m->pid);
    free(m->doc);
    free(m->start);
    free(m->end);
    free(m->title);
}

/* One of the interleaved walks of a scan: a run of whole documents (it starts at a NUL byte). Document numbers
 * are local to the stream until the streams are joined. */
typedef struct {
    Py_ssize_t pos, stop, doc_start;
    int32_t row, doc;
    uint8_t in_title;
    int err;
    int32_t *last_doc;
    Matches m;
} Stream;

static inline void emit_matches(const Automaton *a, Stream *st, const uint8_t *p, Py_ssize_t n, Py_ssize_t e,
                                int32_t head, int first_only, int bounds) {
    const int32_t *own = a->own, *dict_link = a->dict_link, *plen = a->plen;
    const uint8_t *flags = a->flags;
    for (int32_t t = head; t >= 0; t = dict_link[t]) {
        int32_t pid = own[t];
        uint8_t f = flags[pid];
        Py_ssize_t s = e - plen[pid];
        if (bounds && (f & 3)) {
            if ((f & 1) && s > 0 && ALNUM[p[s - 1]]) continue;
            if ((f & 2) && e < n && ALNUM[p[e]]) continue;
        }
        if (first_only && !(f & 4)) {
            if (st->last_doc[pid] == st->doc) continue;
            st->last_doc[pid] = st->doc;
        }
        Matches *m = &st->m;
        if (m->n == m->cap && matches_grow(m) < 0) {
            st->err = 1;
            return;
        }
        m->pid[m->n] = pid;
        m->doc[m->n] = st->doc;
        m->start[m->n] = (int32_t)(s - st->doc_start);
        m->end[m->n] = (int32_t)(e - st->doc_start);
        m->title[m->n] = st->in_title;
        m->n++;
    }
}

/* One byte of one stream. The DFA cell is (row offset of the next state << 1) | has_output; column n_classes of a
 * row holds the first state of its output chain. */
static inline void step(const Automaton *a, Stream *st, const uint8_t *p, Py_ssize_t n, Py_ssize_t i, int first_only,
                        int bounds) {
    uint8_t b = p[i];
    if (b <= 10) {
        if (b == 0) {
            st->doc++;
            st->doc_start = i + 1;
            st->in_title = 1;
        } else if (b == 10) {
            st->in_title = 0;
        }
    }
    int32_t v = a->delta[st->row + a->cls[b]];
    st->row = v >> 1;
    if (v & 1) emit_matches(a, st, p, n, i + 1, a->delta[st->row + a->n_classes], first_only, bounds);
}

#define STREAMS 4

/* The walk is a chain of dependent table loads, so its speed is the memory latency: STREAMS walks over
 * separate runs of documents, advanced in lockstep, overlap their loads (about 2.5 times faster than one). */
static void scan_streams(const Automaton *a, const uint8_t *p, Py_ssize_t n, int first_only, int bounds,
                         Stream *streams) {
    Py_ssize_t common = n;
    for (int k = 0; k < STREAMS; k++) {
        Py_ssize_t len = streams[k].stop - streams[k].pos;
        if (len < common) common = len;
    }
    for (Py_ssize_t i = 0; i < common; i++) {
        step(a, &streams[0], p, n, streams[0].pos + i, first_only, bounds);
        step(a, &streams[1], p, n, streams[1].pos + i, first_only, bounds);
        step(a, &streams[2], p, n, streams[2].pos + i, first_only, bounds);
        step(a, &streams[3], p, n, streams[3].pos + i, first_only, bounds);
        if (streams[0].err | streams[1].err | streams[2].err | streams[3].err) return;
    }
    for (int k = 0; k < STREAMS; k++) {
        Stream *st = &streams[k];
        for (Py_ssize_t i = st->pos + common; i < st->stop && !st->err; i++) step(a, st, p, n, i, first_only, bounds);
    }
}

static PyObject *join_streams(Stream *streams) {
    size_t total = 0;
    for (int k = 0; k < STREAMS; k++) total += streams[k].m.n;
    size_t k4 = total * sizeof(int32_t);
    PyObject *pid = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)k4);
    PyObject *doc = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)k4);
    PyObject *start = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)k4);
    PyObject *end = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)k4);
    PyObject *title = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)total);
    if (!pid || !doc || !start || !end || !title) {
        Py_XDECREF(pid);
        Py_XDECREF(doc);
        Py_XDECREF(start);
        Py_XDECREF(end);
        Py_XDECREF(title);
        return NULL;
    }
    size_t at = 0;
    int32_t doc_offset = 0;
    for (int k = 0; k < STREAMS; k++) {
        const Matches *m = &streams[k].m;
        int32_t *d = (int32_t *)PyBytes_AS_STRING(doc) + at;
        memcpy((int32_t *)PyBytes_AS_STRING(pid) + at, m->pid, m->n * sizeof(int32_t));
        memcpy((int32_t *)PyBytes_AS_STRING(start) + at, m->start, m->n * sizeof(int32_t));
        memcpy((int32_t *)PyBytes_AS_STRING(end) + at, m->end, m->n * sizeof(int32_t));
        memcpy(PyBytes_AS_STRING(title) + at, m->title, m->n);
        for (size_t j = 0; j < m->n; j++) d[j] = m->doc[j] + doc_offset;
        doc_offset += streams[k].doc + 1; /* the NUL bytes the stream passed */
        at += m->n;
    }
    return Py_BuildValue("(NNNNN)", pid, doc, start, end, title);
}

static PyObject *automaton_scan(Automaton *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"buf", "first_only", "bounds", NULL};
    Py_buffer view;
    int first_only = 1, bounds = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|pp", kwlist, &view, &first_only, &bounds)) return NULL;
    if (view.len > INT32_MAX) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "buffer too large for one scan (2 GiB); scan smaller batches");
        return NULL;
    }
    if (!self->delta) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_RuntimeError, "automaton not initialised");
        return NULL;
    }
    const uint8_t *p = (const uint8_t *)view.buf;
    Py_ssize_t n = view.len;
    Stream streams[STREAMS];
    memset(streams, 0, sizeof(streams));
    int oom = 0;
    Py_ssize_t begin = 0;
    for (int k = 0; k < STREAMS; k++) {
        /* stream k: whole documents from the first NUL at or after k/STREAMS of the buffer */
        Py_ssize_t stop = n;
        if (k + 1 < STREAMS) {
            Py_ssize_t aim = n / STREAMS * (k + 1);
            if (aim < begin) aim = begin;
            const uint8_t *nul = aim < n ? memchr(p + aim, 0, n - aim) : NULL;
            stop = nul ? nul - p : n;
        }
        Stream *st = &streams[k];
        st->pos = begin;
        st->stop = stop;
        st->doc = -1;
        st->in_title = 1;
        st->last_doc = malloc((self->n_patterns ? self->n_patterns : 1) * sizeof(int32_t));
        if (!st->last_doc || matches_grow(&st->m) < 0) oom = 1;
        else
            for (int32_t i = 0; i < self->n_patterns; i++) st->last_doc[i] = -2;
        begin = stop;
    }
    if (!oom) {
        Py_BEGIN_ALLOW_THREADS
        scan_streams(self, p, n, first_only, bounds, streams);
        Py_END_ALLOW_THREADS
        for (int k = 0; k < STREAMS; k++) oom |= streams[k].err;
    }
    PyBuffer_Release(&view);
    PyObject *result = oom ? PyErr_NoMemory() : join_streams(streams);
    for (int k = 0; k < STREAMS; k++) {
        free(streams[k].last_doc);
        matches_free(&streams[k].m);
    }
    return result;
}

/* ---- prepare: join, fold, lower-case and encode a batch in one pass ---------------------------------------- */

static inline int is_folded(Py_UCS4 c) { /* full-width "$", digits and letters: folded to half-width */
    return c >= 0xFF04 && c <= 0xFF5A &&
           (c == 0xFF04 || (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || c >= 0xFF41);
}

static inline int needs_python(Py_UCS4 c) { /* changes under str.lower() (or a lone surrogate) */
    return c < 0x10000 ? (BMP_CASED[c >> 3] >> (c & 7)) & 1 : Py_UNICODE_TOLOWER(c) != c;
}

#define WRITE_KIND(TYPE)                                                             \
    do {                                                                             \
        const TYPE *src = (const TYPE *)data;                                        \
        for (Py_ssize_t i = 0; i < len; i++) {                                       \
            Py_UCS4 c = src[i];                                                      \
            if (c >= 0x80) {                                                         \
                if (is_folded(c)) {                                                  \
                    c -= 0xFEE0;                                                     \
                } else {                                                             \
                    if (needs_python(c)) return -1;                                  \
                    if (c < 0x800) {                                                 \
                        w[at] = 0xC0 | (c >> 6);                                     \
                        w[at + 1] = 0x80 | (c & 0x3F);                               \
                        at += 2;                                                     \
                    } else if (c < 0x10000) {                                        \
                        w[at] = 0xE0 | (c >> 12);                                    \
                        w[at + 1] = 0x80 | ((c >> 6) & 0x3F);                        \
                        w[at + 2] = 0x80 | (c & 0x3F);                               \
                        at += 3;                                                     \
                    } else {                                                         \
                        w[at] = 0xF0 | (c >> 18);                                    \
                        w[at + 1] = 0x80 | ((c >> 12) & 0x3F);                       \
                        w[at + 2] = 0x80 | ((c >> 6) & 0x3F);                        \
                        w[at + 3] = 0x80 | (c & 0x3F);                               \
                        at += 4;                                                     \
                    }                                                                \
                    continue;                                                        \
                }                                                                    \
            }                                                                        \
            w[at] = table[c];                                                        \
            if ((unsigned)(c - 'A') < 26u) upper[at >> 3] |= (unsigned char)(1 << (at & 7));     \
            at++;                                                                    \
        }                                                                            \
    } while (0)

/* At most how many bytes str takes normalised, or -1 when it is not a str. */
static Py_ssize_t size_bound(PyObject *str) {
    if (!PyUnicode_Check(str)) return -1;
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    if (PyUnicode_IS_ASCII(str)) return len;
    int kind = PyUnicode_KIND(str);
    return len * (kind == PyUnicode_1BYTE_KIND ? 2 : kind == PyUnicode_2BYTE_KIND ? 3 : 4);
}

/* Writes str normalised at w[at...], marking ASCII capitals in the bit mask upper; returns the offset after it, or
 * -1 when this pass cannot normalise it (see needs_python). */
static Py_ssize_t write_normalised(PyObject *str, unsigned char *w, unsigned char *upper, Py_ssize_t at, int title) {
    const unsigned char *table = title ? ASCII_TITLE : ASCII_TEXT;
    Py_ssize_t len = PyUnicode_GET_LENGTH(str);
    int kind = PyUnicode_KIND(str);
    const void *data = PyUnicode_DATA(str);
    if (PyUnicode_IS_ASCII(str)) {
        const Py_UCS1 *src = (const Py_UCS1 *)data;
        for (Py_ssize_t i = 0; i < len; i++, at++) {
            Py_UCS1 c = src[i];
            w[at] = table[c];
            if ((unsigned)(c - 'A') < 26u) upper[at >> 3] |= (unsigned char)(1 << (at & 7));
        }
    } else if (kind == PyUnicode_1BYTE_KIND)
        WRITE_KIND(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        WRITE_KIND(Py_UCS2);
    else
        WRITE_KIND(Py_UCS4);
    return at;
}

/* prepare(titles, texts) -> (buf, start, title_end, upper) or None
 * buf = NUL + doc 0 + NUL + doc 1 + ... + NUL, doc i = title (line breaks to spaces) + "\n" + text, NUL characters
 * to spaces, full-width "$", digits and letters to half-width, then lower-cased, UTF-8: byte for byte what
 * matcher.prepare_py makes. start / title_end: packed int64 offsets of each doc and of its "\n"; upper: a bit mask
 * over buf (bit i of byte i // 8 set where byte i was an ASCII capital). None when a text holds a character whose
 * lower case this pass does not produce (cased letters beyond ASCII and the full-width forms, lone surrogates):
 * the caller then prepares the batch with str.lower(). */
static PyObject *prepare_batch(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *titles, *texts;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &titles, &PyList_Type, &texts)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(titles);
    if (PyList_GET_SIZE(texts) != n) {
        PyErr_SetString(PyExc_ValueError, "titles and texts differ in length");
        return NULL;
    }
    Py_ssize_t total = n ? 1 : 2;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t a = size_bound(PyList_GET_ITEM(titles, i)), b = size_bound(PyList_GET_ITEM(texts, i));
        if (a < 0 || b < 0) Py_RETURN_NONE;
        total += a + b + 2;
    }
    PyObject *buf = PyBytes_FromStringAndSize(NULL, total);
    PyObject *upper = PyBytes_FromStringAndSize(NULL, (total + 7) / 8);
    PyObject *start = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
    PyObject *title_end = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(int64_t));
    if (!buf || !upper || !start || !title_end) goto fail;
    unsigned char *w = (unsigned char *)PyBytes_AS_STRING(buf), *u = (unsigned char *)PyBytes_AS_STRING(upper);
    int64_t *st = (int64_t *)PyBytes_AS_STRING(start), *te = (int64_t *)PyBytes_AS_STRING(title_end);
    memset(u, 0, (total + 7) / 8);
    Py_ssize_t at = 0;
    w[at++] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        st[i] = at;
        at = write_normalised(PyList_GET_ITEM(titles, i), w, u, at, 1);
        if (at < 0) goto python;
        te[i] = at;
        w[at++] = '\n';
        at = write_normalised(PyList_GET_ITEM(texts, i), w, u, at, 0);
        if (at < 0) goto python;
        w[at++] = 0;
    }
    if (n == 0) w[at++] = 0;
    if (_PyBytes_Resize(&buf, at) < 0 || _PyBytes_Resize(&upper, (at + 7) / 8) < 0) goto fail;
    return Py_BuildValue("(NNNN)", buf, start, title_end, upper);
python:
    Py_DECREF(buf);
    Py_DECREF(upper);
    Py_DECREF(start);
    Py_DECREF(title_end);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(buf);
    Py_XDECREF(upper);
    Py_XDECREF(start);
    Py_XDECREF(title_end);
    return NULL;
}

/* ---- group_hits: a batch's tags per document, kind and code, with their evidence ------------------------------ */

#define KEY_OFFSET 0x10000 /* group keys use code points from U+10000 (tagger._group_keys) */


/* group_hits(doc, kind, code, pid, n_docs, n_kinds, width, selected, city_kind, edu_kind, edu_rank, cache, factory)
 *     -> (hits, bounds, city, edu)
 * Rows (doc int32, kind int8, code int32, pid int32; docs in order) are keyword targets in order of appearance.
 * Rows of the kinds with selected[kind] form groups (doc, kind, code), whose evidence is their patterns in order
 * of appearance. hits: one object per group, ordered by doc, kind and first appearance: cache[key], or
 * factory(key) when the key is new, the key being the string of code points KEY_OFFSET + kind * width + code and
 * KEY_OFFSET + pid per evidence pattern. bounds (int64, n_docs * n_kinds + 1): doc d's hits of kind k are
 * hits[bounds[d * n_kinds + k] : bounds[d * n_kinds + k + 1]]. city / edu (int64 per doc): the code of the
 * first city group, of the education group of lowest edu_rank (first among equals), or -1. */
static PyObject *group_hits(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *doc_o, *kind_o, *code_o, *pid_o, *selected_o, *rank_o, *cache, *factory;
    Py_ssize_t n_docs, n_kinds, width, city_kind, edu_kind;
    if (!PyArg_ParseTuple(args, "OOOOnnnOnnOO!O", &doc_o, &kind_o, &code_o, &pid_o, &n_docs, &n_kinds, &width,
                          &selected_o, &city_kind, &edu_kind, &rank_o, &PyDict_Type, &cache, &factory))
        return NULL;
    if (n_docs < 0 || n_kinds <= 0 || n_kinds > 127 || width <= 0 || width > (0x10FFFF - KEY_OFFSET) / n_kinds) {
        PyErr_SetString(PyExc_ValueError, "group_hits: bad sizes");
        return NULL;
    }
    Py_buffer vdoc = {0}, vkind = {0}, vcode = {0}, vpid = {0}, vsel = {0}, vrank = {0};
    PyObject *hits = NULL, *bounds = NULL, *city = NULL, *edu = NULL, *result = NULL;
    int32_t *stamp = NULL, *gid = NULL, *row_group = NULL, *g_kc = NULL, *g_count = NULL, *g_first = NULL;
    int32_t *order = NULL, *fill = NULL, *g_pids = NULL;
    Py_UCS4 *key = NULL;
    if (PyObject_GetBuffer(doc_o, &vdoc, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    Py_ssize_t n = vdoc.len / 4;
    if (get_buffer(kind_o, &vkind, 1, n, "kind") < 0 || get_buffer(code_o, &vcode, 4, n, "code") < 0 ||
        get_buffer(pid_o, &vpid, 4, n, "pid") < 0 || get_buffer(selected_o, &vsel, 1, n_kinds, "selected") < 0 ||
        PyObject_GetBuffer(rank_o, &vrank, PyBUF_C_CONTIGUOUS) < 0)
        goto done;
    const int32_t *doc = vdoc.buf, *code = vcode.buf, *pid = vpid.buf;
    const int8_t *kind = vkind.buf;
    const uint8_t *selected = vsel.buf;
    const int64_t *rank = vrank.buf;
    Py_ssize_t n_rank = vrank.len / 8;
    Py_ssize_t n_kc = n_kinds * width;
    bounds = PyBytes_FromStringAndSize(NULL, (n_docs * n_kinds + 1) * 8);
    city = PyBytes_FromStringAndSize(NULL, n_docs * 8);
    edu = PyBytes_FromStringAndSize(NULL, n_docs * 8);
    hits = PyList_New(0);
    stamp = malloc((n_kc ? n_kc : 1) * sizeof(int32_t));
    gid = malloc((n_kc ? n_kc : 1) * sizeof(int32_t));
    row_group = malloc((n ? n : 1) * sizeof(int32_t));
    g_kc = malloc((n ? n : 1) * sizeof(int32_t));
    g_count = malloc((n ? n : 1) * sizeof(int32_t));
    g_first = malloc((n ? n : 1) * sizeof(int32_t));
    order = malloc((n ? n : 1) * sizeof(int32_t));
    fill = malloc((n ? n : 1) * sizeof(int32_t));
    g_pids = malloc((n ? n : 1) * sizeof(int32_t));
    key = malloc((n + 1) * sizeof(Py_UCS4));
    if (!bounds || !city || !edu || !hits) goto done;
    if (!stamp || !gid || !row_group || !g_kc || !g_count || !g_first || !order || !fill || !g_pids || !key) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t *b = (int64_t *)PyBytes_AS_STRING(bounds), *cy = (int64_t *)PyBytes_AS_STRING(city);
    int64_t *ed = (int64_t *)PyBytes_AS_STRING(edu);
    for (Py_ssize_t i = 0; i < n_kc; i++) stamp[i] = -1;
    for (Py_ssize_t d = 0; d < n_docs; d++) cy[d] = ed[d] = -1;
    Py_ssize_t r = 0, written = 0;
    for (Py_ssize_t d = 0; d < n_docs; d++) {
        /* this doc's rows: groups in order of first appearance */
        Py_ssize_t r0 = r;
        int32_t ng = 0;
        for (; r < n && doc[r] == d; r++) {
            int k = kind[r];
            if (k < 0 || k >= n_kinds || !selected[k]) {
                row_group[r] = -1;
                continue;
            }
            if (code[r] < 0 || code[r] >= width) {
                PyErr_Format(PyExc_ValueError, "group_hits: row %zd: code %d out of range", r, code[r]);
                goto done;
            }
            int32_t kc = (int32_t)(k * width + code[r]);
            if (stamp[kc] != (int32_t)d) {
                stamp[kc] = (int32_t)d;
                gid[kc] = ng;
                g_kc[ng] = kc;
                g_count[ng] = 0;
                ng++;
            }
            row_group[r] = gid[kc];
            g_count[gid[kc]]++;
        }
        if (r < n && doc[r] < d + 1 && doc[r] != d) {
            PyErr_SetString(PyExc_ValueError, "group_hits: rows must be in order of doc, within range");
            goto done;
        }
        /* groups stably by kind */
        Py_ssize_t per_kind[128] = {0};
        for (int32_t g = 0; g < ng; g++) per_kind[g_kc[g] / width]++;
        Py_ssize_t base = written;
        for (Py_ssize_t k = 0; k < n_kinds; k++) {
            b[d * n_kinds + k] = base;
            Py_ssize_t c = per_kind[k];
            per_kind[k] = base - written; /* position of the kind's first group among the doc's groups */
            base += c;
        }
        for (int32_t g = 0; g < ng; g++) order[per_kind[g_kc[g] / width]++] = g;
        /* evidence of each group: its rows' patterns in order */
        int32_t at = 0;
        for (int32_t g = 0; g < ng; g++) {
            g_first[g] = at;
            fill[g] = at;
            at += g_count[g];
        }
        for (Py_ssize_t q = r0; q < r; q++)
            if (row_group[q] >= 0) g_pids[fill[row_group[q]]++] = pid[q];
        int64_t best_rank = INT64_MAX;
        for (int32_t j = 0; j < ng; j++) {
            int32_t g = order[j];
            int32_t kc = g_kc[g], k = kc / (int32_t)width, c = kc % (int32_t)width;
            key[0] = KEY_OFFSET + kc;
            for (int32_t e = 0; e < g_count[g]; e++) key[1 + e] = KEY_OFFSET + g_pids[g_first[g] + e];
            PyObject *key_str = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, key, 1 + g_count[g]);
            if (!key_str) goto done;
            PyObject *hit = PyDict_GetItemWithError(cache, key_str);
            if (hit) {
                Py_INCREF(hit);
            } else if (!PyErr_Occurred()) {
                hit = PyObject_CallOneArg(factory, key_str);
            }
            Py_DECREF(key_str);
            if (!hit) goto done;
            int rc = PyList_Append(hits, hit);
            Py_DECREF(hit);
            if (rc < 0) goto done;
            if (k == city_kind && cy[d] < 0) cy[d] = c;
            if (k == edu_kind) {
                int64_t rk = c < n_rank ? rank[c] : INT64_MAX - 1;
                if (rk < best_rank) {
                    best_rank = rk;
                    ed[d] = c;
                }
            }
        }
        written += ng;
    }
    if (r != n) {
        PyErr_SetString(PyExc_ValueError, "group_hits: rows must be in order of doc, within range");
        goto done;
    }
    b[n_docs * n_kinds] = written;
    result = Py_BuildValue("(OOOO)", hits, bounds, city, edu);
done:
    Py_XDECREF(hits);
    Py_XDECREF(bounds);
    Py_XDECREF(city);
    Py_XDECREF(edu);
    free(stamp);
    free(gid);
    free(row_group);
    free(g_kc);
    free(g_count);
    free(g_first);
    free(order);
    free(fill);
    free(g_pids);
    free(key);
    PyBuffer_Release(&vdoc);
    if (vkind.obj) PyBuffer_Release(&vkind);
    if (vcode.obj) PyBuffer_Release(&vcode);
    if (vpid.obj) PyBuffer_Release(&vpid);
    if (vsel.obj) PyBuffer_Release(&vsel);
    if (vrank.obj) PyBuffer_Release(&vrank);
    return result;
}

/* csv_cuts(data, delimiter, quotechar, max_rows, max_bytes, final) -> list of (offset, line_ends)
 * Cut points of a delimited file's bytes into chunks of whole records, for parsing them apart (labour_market
 * import). data starts at a record start; the walk follows the csv module reader's states (default dialect with
 * this delimiter and quote char: doublequote, no escape character, not strict) over lines split as
 * io.StringIO(newline="") splits them (\n, \r\n, a lone \r), so a record ends at a line end reached outside a quoted
 * field, as csv.reader ends it. A chunk is cut after the record that makes it max_rows records or max_bytes bytes.
 * Each cut: its byte offset and the number of line ends before it. A \r as the last byte is a line end only when
 * final; with final the rest after the last cut is one more chunk (its last record may lack a line end). Works on
 * the bytes of any encoding in which the delimiter, the quote char, \r and \n are never part of a multi-byte
 * character (UTF-8, GB 18030). */
enum { CSV_SR, CSV_SF, CSV_IF, CSV_IQ, CSV_QQ, CSV_EC };

static PyObject *csv_cuts(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer view;
    int delim, quote, final;
    Py_ssize_t max_rows, max_bytes;
    if (!PyArg_ParseTuple(args, "y*iinnp", &view, &delim, &quote, &max_rows, &max_bytes, &final)) return NULL;
    const unsigned char *d = (const unsigned char *)view.buf;
    Py_ssize_t n = view.len, last = 0, rows = 0, lines = 0;
    int state = CSV_SR;
    PyObject *out = PyList_New(0);
    if (!out) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        int nl = c == '\n' || c == '\r';
        switch (state) {
        case CSV_SR:
            if (nl) {
                state = CSV_EC;
                break;
            }
            state = CSV_SF;
            /* fall through */
        case CSV_SF:
            if (nl) state = CSV_EC;
            else if (c == quote) state = CSV_IQ;
            else if (c == delim) state = CSV_SF;
            else state = CSV_IF;
            break;
        case CSV_IF:
            if (nl) state = CSV_EC;
            else if (c == delim) state = CSV_SF;
            break;
        case CSV_IQ:
            if (c == quote) state = CSV_QQ;
            break;
        case CSV_QQ:
            if (c == quote) state = CSV_IQ;
            else if (c == delim) state = CSV_SF;
            else if (nl) state = CSV_EC;
            else state = CSV_IF;
            break;
        default: /* CSV_EC: only line-break characters follow within a line */
            break;
        }
        if (!nl) continue;
        if (c == '\r') {
            if (i + 1 < n) {
                if (d[i + 1] == '\n') continue; /* \r\n: the line ends after the \n */
            } else if (!final)
                break; /* a \r\n may be cut in two: the caller reads on */
        }
        lines++; /* end of line: the csv reader's EOL step */
        if (state != CSV_IQ) state = CSV_SR;
        if (state != CSV_SR) continue;
        rows++;
        if (rows >= max_rows || i + 1 - last >= max_bytes) {
            PyObject *cut = Py_BuildValue("(nn)", i + 1, lines);
            if (!cut || PyList_Append(out, cut) < 0) {
                Py_XDECREF(cut);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(cut);
            rows = 0;
            last = i + 1;
        }
    }
    if (final && last < n) {
        PyObject *cut = Py_BuildValue("(nn)", n, lines);
        if (!cut || PyList_Append(out, cut) < 0) {
            Py_XDECREF(cut);
            Py_CLEAR(out);
        } else
            Py_DECREF(cut);
    }
done:
    PyBuffer_Release(&view);
    return out;
}

/* normalise_text(text, step) -> str or None, the two character-wise steps of labour_market's normalise:
 * step 0: the full-width forms U+FF01..U+FF5E to ASCII and U+3000 to a space (what NFKC makes of them);
 * step 1: " ".join(text.split()).lower(), or None when the text holds a character whose lower case this pass
 * does not produce (cased letters beyond ASCII, lone surrogates: the caller uses str.lower()). */
static PyObject *normalise_text(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *text;
    int step;
    if (!PyArg_ParseTuple(args, "Ui", &text, &step)) return NULL;
    Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *src = PyUnicode_DATA(text);
    Py_UCS4 *buf = PyMem_Malloc((size_t)(len ? len : 1) * sizeof(Py_UCS4));
    if (!buf) return PyErr_NoMemory();
    if (step == 0) {
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, src, i);
            buf[i] = c >= 0xFF01 && c <= 0xFF5E ? c - 0xFEE0 : c == 0x3000 ? ' ' : c;
        }
        PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len); /* the smallest kind */
        PyMem_Free(buf);
        return out;
    }
    Py_ssize_t at = 0;
    int space = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, src, i);
        if (c < 128) {
            if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F)) {
                space = 1;
                continue;
            }
            if (c >= 'A' && c <= 'Z') c += 32;
        } else {
            if (Py_UNICODE_ISSPACE(c)) {
                space = 1;
                continue;
            }
            if (c < 0x10000 ? (BMP_CASED[c >> 3] >> (c & 7)) & 1 : Py_UNICODE_TOLOWER(c) != c) {
                PyMem_Free(buf);
                Py_RETURN_NONE;
            }
        }
        if (space && at) buf[at++] = ' ';
        space = 0;
        buf[at++] = c;
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, at);
    PyMem_Free(buf);
    return out;
}

static PyMethodDef module_methods[] = {
    {"prepare", prepare_batch, METH_VARARGS, "prepare(titles, texts) -> (buf, start, title_end, upper) or None"},
    {"group_hits", group_hits, METH_VARARGS, "group_hits(...) -> (hits, bounds, city, edu); see the source"},
    {"csv_cuts", csv_cuts, METH_VARARGS, "csv_cuts(data, delimiter, quotechar, max_rows, max_bytes, final) -> cuts"},
    {"normalise_text", normalise_text, METH_VARARGS, "normalise_text(text, step) -> str or None; see the source"},
    {NULL, NULL, 0, NULL},
};

static PyObject *automaton_get_states(Automaton *self, void *closure) {
    (void)closure;
    return PyLong_FromLong(self->n_states);
}

static PyObject *automaton_get_nbytes(Automaton *self, void *closure) {
    (void)closure;
    size_t per_state = ((size_t)self->n_classes + 1) * 4 + 12, per_pattern = 5;
    return PyLong_FromSize_t(per_state * self->n_states + per_pattern * self->n_patterns);
}

static PyMethodDef automaton_methods[] = {
    {"scan", (PyCFunction)(void (*)(void))automaton_scan, METH_VARARGS | METH_KEYWORDS,
     "scan(buf, first_only=True, bounds=True) -> (pid, doc, start, end, in_title) packed arrays"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef automaton_getset[] = {
    {"states", (getter)automaton_get_states, NULL, "number of DFA states", NULL},
    {"nbytes", (getter)automaton_get_nbytes, NULL, "memory held by the tables, in bytes", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cbec_talent.engines.demand._acscan.Automaton",
    .tp_basicsize = sizeof(Automaton),
    .tp_dealloc = (destructor)automaton_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Aho-Corasick DFA over bytes for NUL-separated document batches",
    .tp_methods = automaton_methods,
    .tp_getset = automaton_getset,
    .tp_init = (initproc)automaton_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_acscan", "Aho-Corasick batch scanner for the demand tagger", -1, module_methods,
};

PyMODINIT_FUNC PyInit__acscan(void) {
    for (int c = '0'; c <= '9'; c++) ALNUM[c] = 1;
    for (int c = 0; c < 128; c++) {
        ASCII_TEXT[c] = ASCII_TITLE[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c == 0 ? ' ' : c);
        if (c == '\n' || c == '\r') ASCII_TITLE[c] = ' ';
    }
    for (Py_UCS4 c = 0x80; c < 0x10000; c++) /* U+0130 lowers to two characters, Py_UNICODE_TOLOWER to one */
        if (Py_UNICODE_TOLOWER(c) != c || c == 0x130 || (c >= 0xD800 && c <= 0xDFFF)) BMP_CASED[c >> 3] |= 1 << (c & 7);
    for (int c = 'a'; c <= 'z'; c++) ALNUM[c] = ALNUM[c - 32] = 1;
    if (PyType_Ready(&AutomatonType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&AutomatonType);
    if (PyModule_AddObject(m, "Automaton", (PyObject *)&AutomatonType) < 0) {
        Py_DECREF(&AutomatonType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
