/* The .usx postings decoders in C: one pass over the bytes, no temporary arrays;
 * the one set operation that NumPy can only do in several passes (merge_add); and the
 * phrase check over bigram positions (phrase), which NumPy did by sorting keys; the
 * facet counts (facet_counts) and the first page of a ranking (top_k).  At import:
 * a segment's postings encoded (encode_postings), its tokens numbered (Numbering) and
 * its text folded for search (fold).  At search: a term found in every segment's term
 * table in one call (place_across), a Python loop of NumPy calls per segment before.
 *
 * Why: decoding posting lists in NumPy takes ten whole-array passes over every byte
 * (where each varint ends, which value each byte belongs to, shifts, sums, then running
 * sums restarting per segment and per document); one loop does the same work in one
 * pass.  At import, a stable sort of every occurrence, Python's per-token dictionary
 * work and str.translate dominate a worker's time; here each is one pass too (figures
 * in bench/RESULTS.md).  The module is required (search/native.py); the NumPy versions
 * of its loops in tests/oracles.py are the references it is tested against.
 *
 * No NumPy C API: arrays come in and go out through the buffer protocol, so the module
 * builds against Python's headers alone.  The byte layout is search/storage/usx/README.md's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { CHARS = 0, WORDS = 1, GRAMS = 2, GRAM_COUNTS = 3 };

/* One LEB128 varint at *p (before end); 0 when the bytes end first or it is too long. */
static inline int read_varint(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    const uint8_t *q = *p;
    uint64_t v = 0;
    int shift = 0;
    while (q < end) {
        uint8_t b = *q++;
        v |= (uint64_t)(b & 0x7F) << shift;
        if (b < 0x80) {
            *p = q;
            *out = (int64_t)v;
            return 1;
        }
        shift += 7;
        if (shift > 56)
            return 0;
    }
    return 0;
}

static int get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize,
                      const char *what)
{
    if (PyObject_GetBuffer(obj, view, (writable ? PyBUF_WRITABLE : 0) | PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected", what, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Each of objs[0..n) as a buffer (writable where asked, items of size[k] bytes); on a
 * failure the ones taken are released and -1 returned. */
static int get_buffers(PyObject **objs, Py_buffer *b, int n, const int *writable,
                       const Py_ssize_t *size, const char *const *names)
{
    for (int k = 0; k < n; k++) {
        if (get_buffer(objs[k], &b[k], writable[k], size[k], names[k]) < 0) {
            while (k--)
                PyBuffer_Release(&b[k]);
            return -1;
        }
    }
    return 0;
}

static void release_buffers(Py_buffer *b, int n)
{
    for (int k = 0; k < n; k++)
        PyBuffer_Release(&b[k]);
}

static PyObject *damaged(void)
{
    PyErr_SetString(PyExc_ValueError, "damaged postings: the bytes end inside a list");
    return NULL;
}

PyDoc_STRVAR(varints_doc,
"varints(data, out) -> n\n\n"
"Decode every LEB128 varint of ``data`` (uint8) into ``out`` (int64, at least as\n"
"long as ``data``); returns how many.  Raises ValueError when ``data`` ends inside one.");

static PyObject *varints(PyObject *self, PyObject *args)
{
    PyObject *data_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OO", &data_obj, &out_obj))
        return NULL;
    Py_buffer data, out;
    if (get_buffer(data_obj, &data, 0, 1, "data") < 0)
        return NULL;
    if (get_buffer(out_obj, &out, 1, 8, "out") < 0) {
        PyBuffer_Release(&data);
        return NULL;
    }
    const uint8_t *p = data.buf, *end = p + data.len;
    int64_t *o = out.buf;
    Py_ssize_t n = 0, cap = out.len / 8;
    int ok = 1;
    Py_BEGIN_ALLOW_THREADS
    while (p < end) {
        if (n >= cap || !read_varint(&p, end, &o[n])) {
            ok = 0;
            break;
        }
        n++;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    PyBuffer_Release(&out);
    if (!ok)
        return damaged();
    return PyLong_FromSsize_t(n);
}

PyDoc_STRVAR(postings_doc,
"postings(data, starts, offsets, sizes, layout, docs, weights, positions) -> (n_docs, n_positions)\n\n"
"One term's postings in several segments: ``data`` (uint8) holds each segment's\n"
"encoded list from ``starts[s]`` to ``starts[s + 1]`` (int64, one more than segments),\n"
"``offsets[s]`` (int64) is added to that segment's docnums, ``sizes[s]`` (int64) is its\n"
"number of documents.  ``layout``: 0 chars, 1 words, 2 grams, 3 grams without\n"
"positions.  Writes global docnums (int64), weights (float64: counts) and positions\n"
"(int64, restarting per document) into the given arrays, each at least as long as\n"
"``data``.  Raises ValueError (\"damaged postings\") unless every list is one of that\n"
"layout: 1 <= df <= its bytes, docnums strictly ascending and below the segment's\n"
"size, counts above 1 flagged and at most MAX_COUNT, positions strictly ascending and\n"
"at most MAX_POSITION, no byte left over (the positions of layout 3 are not read).");

/* The largest count and position a list may hold: the encoder writes both as 32-bit
 * numbers; anything larger is damage, and keeping them this small keeps every sum and
 * every float->int conversion below exact and defined. */
#define MAX_COUNT INT32_MAX
#define MAX_POSITION INT32_MAX

static PyObject *postings(PyObject *self, PyObject *args)
{
    PyObject *objs[7];
    int layout;
    if (!PyArg_ParseTuple(args, "OOOOiOOO", &objs[0], &objs[1], &objs[2], &objs[3], &layout,
                          &objs[4], &objs[5], &objs[6]))
        return NULL;
    if (layout < CHARS || layout > GRAM_COUNTS) {
        PyErr_SetString(PyExc_ValueError, "layout must be 0-3");
        return NULL;
    }
    Py_buffer b[7];
    static const int writable[7] = {0, 0, 0, 0, 1, 1, 1};
    static const Py_ssize_t size[7] = {1, 8, 8, 8, 8, 8, 8};
    static const char *const names[7] = {"data", "starts", "offsets", "sizes", "docs",
                                         "weights", "positions"};
    if (get_buffers(objs, b, 7, writable, size, names) < 0)
        return NULL;
    const uint8_t *data = b[0].buf;
    const int64_t *starts = b[1].buf, *offsets = b[2].buf, *sizes = b[3].buf;
    int64_t *docs = b[4].buf, *pos = b[6].buf;
    double *weights = b[5].buf;
    Py_ssize_t n_seg = b[2].len / 8, cap = b[0].len;
    Py_ssize_t nd = 0, np_ = 0;
    int ok = b[1].len / 8 == n_seg + 1 && b[3].len / 8 == n_seg && b[4].len / 8 >= cap
             && b[5].len / 8 >= cap && b[6].len / 8 >= cap;
    for (Py_ssize_t s = 0; ok && s < n_seg; s++)
        ok = sizes[s] >= 0 && starts[s] >= 0 && starts[s] <= starts[s + 1]
             && starts[s + 1] <= cap;
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "postings: arrays of the wrong length or order");
        release_buffers(b, 7);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; ok && s < n_seg; s++) {
        const uint8_t *p = data + starts[s], *end = data + starts[s + 1];
        const int64_t n_docs = sizes[s];
        int64_t df, v, doc = 0;
        /* Every docnum delta takes at least one byte: df beyond the bytes left is damage. */
        if (!read_varint(&p, end, &df) || df < 1 || df > end - p) {
            ok = 0;
            break;
        }
        Py_ssize_t first = nd;
        for (int64_t k = 0; k < df; k++) {
            if (!read_varint(&p, end, &v)) {
                ok = 0;
                break;
            }
            int64_t delta = layout == CHARS ? v : v >> 1;
            /* ascending (the first may be 0) and below the segment's size, no overflow */
            if ((k > 0 && delta < 1) || delta >= n_docs - doc) {
                ok = 0;
                break;
            }
            doc += delta;
            weights[nd] = (layout != CHARS && (v & 1)) ? -1.0 : 1.0; /* -1: a count follows */
            docs[nd++] = doc + offsets[s];
        }
        if (ok && layout != CHARS) {
            for (Py_ssize_t k = first; k < nd; k++) {
                if (weights[k] < 0) {
                    if (!read_varint(&p, end, &v) || v < 2 || v > MAX_COUNT) {
                        ok = 0;
                        break;
                    }
                    weights[k] = (double)v;
                }
            }
        }
        for (Py_ssize_t k = first; ok && layout == GRAMS && k < nd; k++) {
            /* weights[k] is a whole number in [1, MAX_COUNT]: exact, and in range for int64 */
            int64_t count = (int64_t)weights[k], at = 0;
            if (count > cap - np_ || count > end - p) {
                ok = 0;
                break;
            }
            for (int64_t j = 0; j < count; j++) {
                if (!read_varint(&p, end, &v) || (j > 0 && v < 1) || v > MAX_POSITION - at) {
                    ok = 0;
                    break;
                }
                at += v;
                pos[np_++] = at;
            }
        }
        if (ok && layout != GRAM_COUNTS && p != end)
            ok = 0; /* bytes left over: not one list of this layout */
    }
    Py_END_ALLOW_THREADS
    release_buffers(b, 7);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError,
                        "damaged postings: the bytes are not a list of this layout");
        return NULL;
    }
    return Py_BuildValue("nn", nd, np_);
}

PyDoc_STRVAR(merge_add_doc,
"merge_add(a_docs, a_values, b_docs, b_values, docs, values) -> n\n\n"
"The union of two ascending, duplicate-free docnum arrays (int64) with their values\n"
"(float64) added where a docnum is in both, written into ``docs`` and ``values``\n"
"(each at least ``len(a) + len(b)`` long); returns its length.");

static PyObject *merge_add(PyObject *self, PyObject *args)
{
    PyObject *objs[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5]))
        return NULL;
    Py_buffer b[6];
    static const int writable[6] = {0, 0, 0, 0, 1, 1};
    static const char *const names[6] = {"a_docs", "a_values", "b_docs", "b_values", "docs",
                                   "values"};
    static const Py_ssize_t size[6] = {8, 8, 8, 8, 8, 8};
    if (get_buffers(objs, b, 6, writable, size, names) < 0)
        return NULL;
    Py_ssize_t na = b[0].len / 8, nb = b[2].len / 8, n = 0;
    int ok = b[1].len / 8 == na && b[3].len / 8 == nb && b[4].len / 8 >= na + nb
             && b[5].len / 8 >= na + nb;
    if (ok) {
        const int64_t *ad = b[0].buf, *bd = b[2].buf;
        const double *av = b[1].buf, *bv = b[3].buf;
        int64_t *od = b[4].buf;
        double *ov = b[5].buf;
        Py_BEGIN_ALLOW_THREADS
        Py_ssize_t i = 0, j = 0;
        while (i < na && j < nb) {
            if (ad[i] < bd[j]) {
                od[n] = ad[i];
                ov[n++] = av[i++];
            } else if (bd[j] < ad[i]) {
                od[n] = bd[j];
                ov[n++] = bv[j++];
            } else {
                od[n] = ad[i];
                ov[n++] = av[i++] + bv[j++];
            }
        }
        for (; i < na; i++, n++) {
            od[n] = ad[i];
            ov[n] = av[i];
        }
        for (; j < nb; j++, n++) {
            od[n] = bd[j];
            ov[n] = bv[j];
        }
        Py_END_ALLOW_THREADS
    }
    release_buffers(b, 6);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "merge_add: arrays of the wrong length");
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}

/* One bigram's postings, walked document by document by phrase(). */
typedef struct {
    Py_buffer docs, weights, positions;
    Py_ssize_t n;     /* documents */
    Py_ssize_t at;    /* current document */
    Py_ssize_t first; /* index in positions of the current document's first position */
} List;

PyDoc_STRVAR(phrase_doc,
"phrase(lists, entries, docs, counts) -> n\n\n"
"Where a phrase occurs, from the postings of its cover bigrams: ``lists`` is a sequence\n"
"of (docs int64, weights float64, positions int64) per distinct bigram (positions\n"
"grouped by document, ascending); ``entries`` (int64) holds (list, offset) pairs, the\n"
"first with offset 0: the phrase starts at s in a document where every entry's list\n"
"has position s + offset.  Writes each such document (int64) and its number of starts\n"
"(float64) into ``docs`` and ``counts`` (each as long as the shortest list); returns\n"
"how many documents.");

static PyObject *phrase(PyObject *self, PyObject *args)
{
    PyObject *lists_obj, *entries_obj, *docs_obj, *counts_obj;
    if (!PyArg_ParseTuple(args, "OOOO", &lists_obj, &entries_obj, &docs_obj, &counts_obj))
        return NULL;
    PyObject *seq = PySequence_Fast(lists_obj, "lists must be a sequence");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n_lists = PySequence_Fast_GET_SIZE(seq), got = 0, n_out = 0;
    List *lists = PyMem_Calloc(n_lists ? n_lists : 1, sizeof(List));
    Py_buffer entries_b, docs_b, counts_b;
    int have_entries = 0, have_docs = 0, have_counts = 0, ok = 0;
    Py_ssize_t *ptr = NULL;
    if (lists == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (; got < n_lists; got++) {
        PyObject *t = PySequence_Fast_GET_ITEM(seq, got);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3) {
            PyErr_SetString(PyExc_TypeError, "each list must be (docs, weights, positions)");
            goto done;
        }
        List *L = &lists[got];
        if (get_buffer(PyTuple_GET_ITEM(t, 0), &L->docs, 0, 8, "docs") < 0)
            goto done;
        if (get_buffer(PyTuple_GET_ITEM(t, 1), &L->weights, 0, 8, "weights") < 0) {
            PyBuffer_Release(&L->docs);
            goto done;
        }
        if (get_buffer(PyTuple_GET_ITEM(t, 2), &L->positions, 0, 8, "positions") < 0) {
            PyBuffer_Release(&L->docs);
            PyBuffer_Release(&L->weights);
            goto done;
        }
        L->n = L->docs.len / 8;
        if (L->weights.len / 8 != L->n) {
            PyErr_SetString(PyExc_ValueError, "phrase: docs and weights differ in length");
            got++;
            goto done;
        }
    }
    if (get_buffer(entries_obj, &entries_b, 0, 8, "entries") < 0)
        goto done;
    have_entries = 1;
    if (get_buffer(docs_obj, &docs_b, 1, 8, "docs out") < 0)
        goto done;
    have_docs = 1;
    if (get_buffer(counts_obj, &counts_b, 1, 8, "counts out") < 0)
        goto done;
    have_counts = 1;
    Py_ssize_t n_entries = entries_b.len / 16, shortest = -1;
    const int64_t *entries = entries_b.buf;
    for (Py_ssize_t e = 0; e < n_entries; e++) {
        if (entries[2 * e] < 0 || entries[2 * e] >= n_lists || entries[2 * e + 1] < 0
            || (e == 0 && entries[1] != 0)) {
            PyErr_SetString(PyExc_ValueError, "phrase: bad entries");
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < n_lists; k++)
        if (shortest < 0 || lists[k].n < lists[shortest].n)
            shortest = k;
    if (n_entries == 0 || shortest < 0) {
        ok = 1;
        goto done;
    }
    if (docs_b.len / 8 < lists[shortest].n || counts_b.len / 8 < lists[shortest].n) {
        PyErr_SetString(PyExc_ValueError, "phrase: output arrays too short");
        goto done;
    }
    ptr = PyMem_Malloc(n_entries * sizeof(Py_ssize_t));
    if (ptr == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    ok = 1;
    int64_t *out_docs = docs_b.buf;
    double *out_counts = counts_b.buf;
    Py_BEGIN_ALLOW_THREADS
    const List *S = &lists[shortest];
    const int64_t *sdocs = S->docs.buf;
    for (Py_ssize_t i = 0; ok && i < S->n; i++) {
        int64_t d = sdocs[i];
        int everywhere = 1;
        for (Py_ssize_t k = 0; k < n_lists; k++) { /* every list to document d */
            List *L = &lists[k];
            const int64_t *ld = L->docs.buf;
            const double *lw = L->weights.buf;
            while (L->at < L->n && ld[L->at] < d) {
                L->first += (Py_ssize_t)lw[L->at];
                L->at++;
            }
            if (L->at >= L->n || ld[L->at] != d)
                everywhere = 0;
        }
        if (!everywhere)
            continue;
        for (Py_ssize_t k = 0; k < n_lists; k++) {
            const List *L = &lists[k];
            if (L->first + (Py_ssize_t)((const double *)L->weights.buf)[L->at]
                > L->positions.len / 8) {
                ok = 0; /* positions shorter than the weights say */
            }
        }
        if (!ok)
            break;
        for (Py_ssize_t e = 0; e < n_entries; e++)
            ptr[e] = lists[entries[2 * e]].first;
        const List *A = &lists[entries[0]];
        const int64_t *apos = A->positions.buf;
        Py_ssize_t a_end = A->first + (Py_ssize_t)((const double *)A->weights.buf)[A->at];
        double found = 0;
        for (Py_ssize_t q = A->first; q < a_end; q++) {
            int64_t start = apos[q];
            int all = 1;
            for (Py_ssize_t e = 1; e < n_entries && all; e++) {
                const List *L = &lists[entries[2 * e]];
                const int64_t *lp = L->positions.buf;
                Py_ssize_t end = L->first + (Py_ssize_t)((const double *)L->weights.buf)[L->at];
                int64_t want = start + entries[2 * e + 1];
                while (ptr[e] < end && lp[ptr[e]] < want)
                    ptr[e]++;
                all = ptr[e] < end && lp[ptr[e]] == want;
            }
            found += all;
        }
        if (found > 0) {
            out_docs[n_out] = d;
            out_counts[n_out++] = found;
        }
    }
    Py_END_ALLOW_THREADS
    if (!ok)
        PyErr_SetString(PyExc_ValueError, "phrase: positions shorter than the weights say");
done:
    for (Py_ssize_t k = 0; k < got && lists; k++) {
        PyBuffer_Release(&lists[k].docs);
        PyBuffer_Release(&lists[k].weights);
        PyBuffer_Release(&lists[k].positions);
    }
    PyMem_Free(lists);
    PyMem_Free(ptr);
    if (have_entries)
        PyBuffer_Release(&entries_b);
    if (have_docs)
        PyBuffer_Release(&docs_b);
    if (have_counts)
        PyBuffer_Release(&counts_b);
    Py_DECREF(seq);
    if (!ok)
        return NULL;
    return PyLong_FromSsize_t(n_out);
}

PyDoc_STRVAR(facet_counts_doc,
"facet_counts(docs, year_of, rep_start, rep_ids, years, reporters)\n\n"
"Adds one to ``years[year_of[d]]`` (int32 per docnum; -1: none) and to\n"
"``reporters[r]`` for each reporter r of each document d of ``docs`` (int64): a\n"
"document's reporters are ``rep_ids[rep_start[d]:rep_start[d + 1]]`` (int32).\n"
"``years`` and ``reporters`` are int64 counters.");

static PyObject *facet_counts(PyObject *self, PyObject *args)
{
    PyObject *objs[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5]))
        return NULL;
    Py_buffer b[6];
    static const int writable[6] = {0, 0, 0, 0, 1, 1};
    static const Py_ssize_t size[6] = {8, 4, 4, 4, 8, 8};
    static const char *const names[6] = {"docs", "year_of", "rep_start", "rep_ids", "years",
                                   "reporters"};
    if (get_buffers(objs, b, 6, writable, size, names) < 0)
        return NULL;
    const int64_t *docs = b[0].buf;
    const int32_t *year_of = b[1].buf, *start = b[2].buf, *ids = b[3].buf;
    int64_t *years = b[4].buf, *reps = b[5].buf;
    Py_ssize_t nd = b[0].len / 8, n = b[1].len / 4, n_pairs = b[3].len / 4;
    Py_ssize_t n_years = b[4].len / 8, n_reps = b[5].len / 8;
    int ok = b[2].len / 4 == n + 1;
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < nd; i++) {
            int64_t d = docs[i];
            if (d < 0 || d >= n) {
                ok = 0;
                break;
            }
            int32_t y = year_of[d];
            if (y >= 0 && y < n_years)
                years[y]++;
            int32_t a = start[d], z = start[d + 1];
            if (a < 0 || z > n_pairs || a > z) {
                ok = 0;
                break;
            }
            for (int32_t k = a; k < z; k++) {
                if (ids[k] < 0 || ids[k] >= n_reps) {
                    ok = 0;
                    break;
                }
                reps[ids[k]]++;
            }
            if (!ok)
                break;
        }
        Py_END_ALLOW_THREADS
    }
    release_buffers(b, 6);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "facet_counts: arrays that do not fit together");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* top_k: the order of two results (a before b?) by primary key, secondary key, docnum. */
typedef struct {
    double primary, secondary;
    int64_t doc;
    Py_ssize_t index;
} Ranked;

static inline int before(const Ranked *a, const Ranked *b)
{
    if (a->primary != b->primary)
        return a->primary < b->primary;
    if (a->secondary != b->secondary)
        return a->secondary < b->secondary;
    return a->doc < b->doc;
}

/* A max-heap by "before": its root is the worst of the k kept. */
static void sift_down(Ranked *h, Py_ssize_t n, Py_ssize_t i)
{
    for (;;) {
        Py_ssize_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && before(&h[w], &h[l]))
            w = l;
        if (r < n && before(&h[w], &h[r]))
            w = r;
        if (w == i)
            return;
        Ranked t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void sift_up(Ranked *h, Py_ssize_t i)
{
    while (i > 0) {
        Py_ssize_t p = (i - 1) / 2;
        if (!before(&h[p], &h[i]))
            return;
        Ranked t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

static int by_rank(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

PyDoc_STRVAR(top_k_doc,
"top_k(primary, secondary, docs, k, out) -> n\n\n"
"Indexes of the first ``k`` results ordered by ``primary`` (float64, ascending), then\n"
"``secondary`` (float64, ascending), then ``docs`` (int64, ascending), written into\n"
"``out`` (int64, at least ``k`` long) in that order; returns how many.  One pass with a\n"
"heap of k: a sort of everything is not needed for a page of ten.");

static PyObject *top_k(PyObject *self, PyObject *args)
{
    PyObject *objs[4];
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "OOOnO", &objs[0], &objs[1], &objs[2], &k, &objs[3]))
        return NULL;
    Py_buffer b[4];
    static const int writable[4] = {0, 0, 0, 1};
    static const char *const names[4] = {"primary", "secondary", "docs", "out"};
    static const Py_ssize_t size[4] = {8, 8, 8, 8};
    if (get_buffers(objs, b, 4, writable, size, names) < 0)
        return NULL;
    Py_ssize_t n = b[0].len / 8, kept = 0;
    int ok = k >= 0 && b[1].len / 8 == n && b[2].len / 8 == n && b[3].len / 8 >= k;
    Ranked *heap = NULL;
    if (ok && k > 0) {
        heap = PyMem_Malloc((k < n ? k : n) * sizeof(Ranked) + 1);
        if (heap == NULL) {
            release_buffers(b, 4);
            return PyErr_NoMemory();
        }
        const double *pr = b[0].buf, *se = b[1].buf;
        const int64_t *dd = b[2].buf;
        int64_t *out = b[3].buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++) {
            Ranked r = {pr[i], se[i], dd[i], i};
            if (kept < k) {
                heap[kept] = r;
                sift_up(heap, kept++);
            } else if (before(&r, &heap[0])) {
                heap[0] = r;
                sift_down(heap, kept, 0);
            }
        }
        qsort(heap, kept, sizeof(Ranked), by_rank);
        for (Py_ssize_t i = 0; i < kept; i++)
            out[i] = heap[i].index;
        Py_END_ALLOW_THREADS
        PyMem_Free(heap);
    }
    release_buffers(b, 4);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "top_k: arrays of different lengths");
        return NULL;
    }
    return PyLong_FromSsize_t(kept);
}

PyDoc_STRVAR(bm25f_doc,
"bm25f(head_docs, head_tf, text_docs, text_tf, head_w, text_w, k1, n, df, docs, scores)\n"
"    -> count\n\n"
"One term's BM25F over the title and body: the union of ``head_docs`` and ``text_docs``\n"
"(ascending int64) written into ``docs``, each with\n"
"idf(df) * tf (k1 + 1) / (k1 + tf), tf = head_tf * head_w[d] + text_tf * text_w[d]\n"
"(float64; the weights per docnum, float32, hold the field weight over the length norm,\n"
"each widened to float64 exactly) into\n"
"``scores``.  ``n``: documents in the index; ``df`` < 0: the union's size.  Returns the\n"
"union's size.  One pass, where NumPy took eleven (gathers, a merge, the saturation).");

static PyObject *bm25f(PyObject *self, PyObject *args)
{
    PyObject *objs[8];
    double k1;
    Py_ssize_t n_index, df;
    if (!PyArg_ParseTuple(args, "OOOOOOdnnOO", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &k1, &n_index, &df, &objs[6], &objs[7]))
        return NULL;
    Py_buffer b[8];
    static const int writable[8] = {0, 0, 0, 0, 0, 0, 1, 1};
    static const char *const names[8] = {"head_docs", "head_tf", "text_docs", "text_tf", "head_w",
                                   "text_w", "docs", "scores"};
    static const Py_ssize_t size[8] = {8, 8, 8, 8, 4, 4, 8, 8};
    if (get_buffers(objs, b, 8, writable, size, names) < 0)
        return NULL;
    Py_ssize_t na = b[0].len / 8, nb = b[2].len / 8, nw = b[4].len / 4, n = 0;
    int ok = b[1].len / 8 == na && b[3].len / 8 == nb && b[5].len / 4 == nw
             && b[6].len / 8 >= na + nb && b[7].len / 8 >= na + nb;
    if (ok) {
        const int64_t *ad = b[0].buf, *bd = b[2].buf;
        const double *at = b[1].buf, *bt = b[3].buf;
        const float *aw = b[4].buf, *bw = b[5].buf;
        int64_t *od = b[6].buf;
        double *os = b[7].buf;
        Py_BEGIN_ALLOW_THREADS
        Py_ssize_t i = 0, j = 0;
        while (ok && (i < na || j < nb)) {
            int64_t d;
            double tf = 0;
            if (j >= nb || (i < na && ad[i] < bd[j])) {
                d = ad[i];
                if (d < 0 || d >= nw) { ok = 0; break; }
                tf = at[i++] * (double)aw[d];
            } else if (i >= na || bd[j] < ad[i]) {
                d = bd[j];
                if (d < 0 || d >= nw) { ok = 0; break; }
                tf = bt[j++] * (double)bw[d];
            } else {
                d = ad[i];
                if (d < 0 || d >= nw) { ok = 0; break; }
                tf = at[i++] * (double)aw[d];
                tf += bt[j++] * (double)bw[d];
            }
            od[n] = d;
            os[n++] = tf;
        }
        if (ok) {
            double f = df < 0 ? (double)n : (double)df;
            double idf = log(1.0 + ((double)n_index - f + 0.5) / (f + 0.5));
            for (Py_ssize_t q = 0; q < n; q++)
                os[q] = idf * os[q] * (k1 + 1) / (k1 + os[q]);
        }
        Py_END_ALLOW_THREADS
    }
    release_buffers(b, 8);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "bm25f: arrays that do not fit together");
        return NULL;
    }
    return PyLong_FromSsize_t(n);
}


/* --- building a segment's postings -------------------------------------------------- */

/* A growing byte buffer for the encoded postings. */
typedef struct {
    uint8_t *buf;
    size_t len, cap;
} Bytes;

static int bytes_reserve(Bytes *o, size_t more)
{
    if (o->len + more <= o->cap)
        return 1;
    size_t cap = o->cap ? o->cap : 1 << 16;
    while (cap < o->len + more)
        cap *= 2;
    uint8_t *b = realloc(o->buf, cap);
    if (!b)
        return 0;
    o->buf = b;
    o->cap = cap;
    return 1;
}

/* Room for 5 bytes is reserved by the caller: every value here fits in 32 bits. */
static inline void put_varint(Bytes *o, uint64_t v)
{
    uint8_t *p = o->buf + o->len;
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    o->len = (size_t)(p - o->buf);
}

typedef struct {
    uint64_t key;
    int32_t slot;
} KeySlot;

static int by_key(const void *a, const void *b)
{
    uint64_t x = ((const KeySlot *)a)->key, y = ((const KeySlot *)b)->key;
    return (x > y) - (x < y);
}

static inline uint64_t key_at(const void *keys, int wide, Py_ssize_t i)
{
    return wide ? ((const uint64_t *)keys)[i] : ((const uint32_t *)keys)[i];
}

/* Each occurrence's term slot (numbered in order of first appearance) into slot_of;
 * the slots' keys into *slot_key and their occurrence counts into *count.  Keys below
 * 2^22 (characters, word ranks) index a table directly, others go through a hash table.
 * Returns the number of slots, or -1 when out of memory. */
static Py_ssize_t term_slots(const void *keys, int wide, Py_ssize_t n, int32_t *slot_of,
                             uint64_t **slot_key, int64_t **count)
{
    uint64_t max = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t k = key_at(keys, wide, i);
        if (k > max)
            max = k;
    }
    Py_ssize_t n_slots = 0, cap = 1024;
    uint64_t *sk = malloc(cap * sizeof *sk);
    int64_t *cnt = malloc(cap * sizeof *cnt);
    int direct = max < ((uint64_t)1 << 22);
    size_t size = direct ? (size_t)max + 1 : 1 << 16;
    int32_t *table = malloc(size * sizeof *table); /* slot + 1; 0 is empty */
    if (!sk || !cnt || !table)
        goto fail;
    memset(table, 0, size * sizeof *table);
    int bits = 16;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t k = key_at(keys, wide, i);
        size_t h;
        if (direct)
            h = (size_t)k;
        else {
            h = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
            while (table[h] && sk[table[h] - 1] != k)
                h = (h + 1) & (size - 1);
        }
        int32_t s = table[h] - 1;
        if (s < 0) {
            if (n_slots == cap) {
                cap *= 2;
                uint64_t *sk2 = realloc(sk, cap * sizeof *sk);
                if (sk2)
                    sk = sk2;
                int64_t *cnt2 = realloc(cnt, cap * sizeof *cnt);
                if (cnt2)
                    cnt = cnt2;
                if (!sk2 || !cnt2)
                    goto fail;
            }
            s = (int32_t)n_slots++;
            sk[s] = k;
            cnt[s] = 0;
            table[h] = s + 1;
            if (!direct && (size_t)n_slots * 2 > size) { /* grow: rehash every slot */
                free(table);
                size *= 2;
                bits++;
                table = calloc(size, sizeof *table);
                if (!table)
                    goto fail;
                for (Py_ssize_t t = 0; t < n_slots; t++) {
                    size_t g = (size_t)((sk[t] * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
                    while (table[g])
                        g = (g + 1) & (size - 1);
                    table[g] = (int32_t)t + 1;
                }
            }
        }
        cnt[s]++;
        slot_of[i] = s;
    }
    free(table);
    *slot_key = sk;
    *count = cnt;
    return n_slots;
fail:
    free(sk);
    free(cnt);
    free(table);
    return -1;
}

PyDoc_STRVAR(encode_postings_doc,
"encode_postings(keys, docs, positions, with_freq) -> (terms, ends, data)\n\n"
"One field's postings, encoded as search/storage/usx/README.md lays them out, from each\n"
"occurrence's term key (uint64 or uint32), document (int32) and position (int32, or\n"
"None), occurrences ordered by (document, position).  Returns the distinct keys in\n"
"ascending order (bytes of the keys' item type), where each term's bytes end (bytes of\n"
"int64) and the encoded bytes.  Counts are stored where ``with_freq`` or positions are\n"
"given.  The same bytes as usx.postings.encode_field's NumPy path, in one pass and a\n"
"counting sort instead of a stable sort of every occurrence.");

static PyObject *encode_postings(PyObject *self, PyObject *args)
{
    PyObject *objs[3];
    int with_freq;
    if (!PyArg_ParseTuple(args, "OOOp", &objs[0], &objs[1], &objs[2], &with_freq))
        return NULL;
    int has_pos = objs[2] != Py_None;
    Py_buffer b[3];
    if (PyObject_GetBuffer(objs[0], &b[0], PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    int wide = b[0].itemsize == 8;
    if (!wide && b[0].itemsize != 4) {
        PyBuffer_Release(&b[0]);
        PyErr_SetString(PyExc_TypeError, "keys: items of 4 or 8 bytes expected");
        return NULL;
    }
    static const int writable[2] = {0, 0};
    static const Py_ssize_t size[2] = {4, 4};
    static const char *const names[2] = {"docs", "positions"};
    if (get_buffers(objs + 1, b + 1, has_pos ? 2 : 1, writable, size, names) < 0) {
        PyBuffer_Release(&b[0]);
        return NULL;
    }
    Py_ssize_t n = b[0].len / b[0].itemsize;
    if (b[1].len / 4 != n || (has_pos && b[2].len / 4 != n) || n >= INT32_MAX) {
        release_buffers(b, has_pos ? 3 : 2);
        PyErr_SetString(PyExc_ValueError, "encode_postings: arrays of different lengths");
        return NULL;
    }
    const int32_t *doc = b[1].buf, *pos = has_pos ? b[2].buf : NULL;
    int counted = with_freq || has_pos;
    int32_t *slot_of = malloc((n ? n : 1) * sizeof *slot_of);
    int32_t *order = malloc((n ? n : 1) * sizeof *order);
    uint64_t *slot_key = NULL;
    int64_t *count = NULL, *ends = NULL;
    KeySlot *sorted = NULL;
    Bytes out = {NULL, 0, 0};
    Py_ssize_t n_terms = -1;
    int ok = slot_of && order;
    Py_BEGIN_ALLOW_THREADS
    if (ok)
        n_terms = term_slots(b[0].buf, wide, n, slot_of, &slot_key, &count);
    ok = ok && n_terms >= 0;
    if (ok) {
        sorted = malloc((n_terms ? n_terms : 1) * sizeof *sorted);
        ends = malloc((n_terms ? n_terms : 1) * sizeof *ends);
        ok = sorted && ends;
    }
    if (ok) {
        for (Py_ssize_t t = 0; t < n_terms; t++) {
            sorted[t].key = slot_key[t];
            sorted[t].slot = (int32_t)t;
        }
        qsort(sorted, n_terms, sizeof *sorted, by_key);
        /* count[slot] becomes the slot's first place in term order (a counting sort:
         * occurrences keep their (document, position) order within a term). */
        int64_t at = 0;
        for (Py_ssize_t r = 0; r < n_terms; r++) {
            int64_t c = count[sorted[r].slot];
            count[sorted[r].slot] = at;
            at += c;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            order[count[slot_of[i]]++] = (int32_t)i;
        free(slot_of);
        slot_of = NULL;
        int64_t start = 0;
        for (Py_ssize_t r = 0; ok && r < n_terms; r++) {
            int64_t end = count[sorted[r].slot]; /* now one past the term's last */
            int64_t df = 0;
            for (int64_t j = start; j < end; j++)
                df += j == start || doc[order[j]] != doc[order[j - 1]];
            /* df, a delta and a count per pair, a position per occurrence: 5 bytes each */
            if (!bytes_reserve(&out, (size_t)(1 + 2 * df + (end - start)) * 5)) {
                ok = 0;
                break;
            }
            put_varint(&out, (uint64_t)df);
            int32_t prev = 0;
            for (int64_t j = start; j < end;) {
                int32_t d = doc[order[j]];
                int64_t k = j + 1;
                while (k < end && doc[order[k]] == d)
                    k++;
                uint64_t delta = (uint32_t)(d - prev);
                put_varint(&out, counted ? (uint64_t)(uint32_t)(delta << 1 | (k - j > 1)) : delta);
                prev = d;
                j = k;
            }
            if (counted) {
                for (int64_t j = start; j < end;) {
                    int32_t d = doc[order[j]];
                    int64_t k = j + 1;
                    while (k < end && doc[order[k]] == d)
                        k++;
                    if (k - j > 1)
                        put_varint(&out, (uint64_t)(k - j));
                    j = k;
                }
            }
            if (has_pos) {
                for (int64_t j = start; j < end; j++) {
                    int first = j == start || doc[order[j]] != doc[order[j - 1]];
                    int32_t p = pos[order[j]];
                    put_varint(&out, (uint32_t)(first ? p : p - pos[order[j - 1]]));
                }
            }
            ends[r] = (int64_t)out.len;
            start = end;
        }
    }
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (!ok)
        PyErr_NoMemory();
    else {
        Py_ssize_t ksize = b[0].itemsize;
        PyObject *terms = PyBytes_FromStringAndSize(NULL, n_terms * ksize);
        if (terms) {
            char *tb = PyBytes_AS_STRING(terms);
            for (Py_ssize_t r = 0; r < n_terms; r++) {
                if (wide)
                    ((uint64_t *)tb)[r] = sorted[r].key;
                else
                    ((uint32_t *)tb)[r] = (uint32_t)sorted[r].key;
            }
            result = Py_BuildValue("Ny#y#", terms, (const char *)ends,
                                   (Py_ssize_t)(n_terms * sizeof *ends),
                                   (const char *)(out.buf ? out.buf : (uint8_t *)""),
                                   (Py_ssize_t)out.len);
        }
    }
    free(slot_of);
    free(order);
    free(slot_key);
    free(count);
    free(sorted);
    free(ends);
    free(out.buf);
    release_buffers(b, has_pos ? 3 : 2);
    return result;
}

/* --- skip tables: per-block entry points into a long list --------------------------- */

/* Each skip record is four uint32: the block's last docnum, then the byte offsets (from
 * the start of the term's bytes) of the block's first docnum delta and of the first count
 * a document of the block (or a later one) holds, then for grams the offset of the
 * block's first position, for words the largest count in the block, for chars 0. */
enum { REC = 4 };

PyDoc_STRVAR(skip_table_doc,
"skip_table(data, ends, layout, block_docs, min_docs) -> (terms, rec_ends, records)\n\n"
"The skip tables of one field's postings (``data`` uint8, ``ends`` int64, the layout\n"
"as in postings(): 0 chars, 1 words, 2 grams): for every term whose list holds more\n"
"than ``min_docs`` (at least ``block_docs``) documents, one record of four uint32 per\n"
"block of ``block_docs`` documents (search/storage/usx/README.md).  Returns the terms that have a table (bytes of\n"
"uint32, ascending), where each one's records end (bytes of int64, in records) and the\n"
"records (bytes of uint32).  Raises ValueError on bytes that are not lists.");

static PyObject *skip_table(PyObject *self, PyObject *args)
{
    PyObject *objs[2];
    int layout, block_docs, min_docs;
    if (!PyArg_ParseTuple(args, "OOiii", &objs[0], &objs[1], &layout, &block_docs, &min_docs))
        return NULL;
    if (layout < CHARS || layout > GRAMS || block_docs < 1 || min_docs < block_docs) {
        PyErr_SetString(PyExc_ValueError,
                        "skip_table: layout 0-2, block_docs >= 1, min_docs >= block_docs");
        return NULL;
    }
    Py_buffer b[2];
    static const int writable[2] = {0, 0};
    static const Py_ssize_t size[2] = {1, 8};
    static const char *const names[2] = {"data", "ends"};
    if (get_buffers(objs, b, 2, writable, size, names) < 0)
        return NULL;
    const uint8_t *data = b[0].buf;
    const int64_t *ends = b[1].buf;
    Py_ssize_t n_terms = b[1].len / 8;
    Bytes terms = {NULL, 0, 0}, rec_ends = {NULL, 0, 0}, recs = {NULL, 0, 0};
    int64_t *count = NULL;
    Py_ssize_t count_cap = 0;
    int ok = 1, oom = 0;
    int64_t n_recs = 0, start = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t t = 0; ok && t < n_terms; start = ends[t], t++) {
        if (ends[t] < start || ends[t] > b[0].len) {
            ok = 0;
            break;
        }
        const uint8_t *base = data + start, *p = base, *end = data + ends[t];
        int64_t df, v;
        if (!read_varint(&p, end, &df) || df < 1 || df > end - p) {
            ok = 0;
            break;
        }
        if (df <= min_docs)
            continue;
        int64_t nb = (df + block_docs - 1) / block_docs;
        if (df > count_cap) {
            free(count);
            count_cap = df;
            count = malloc(count_cap * sizeof *count);
            if (!count) {
                ok = 0;
                oom = 1;
                break;
            }
        }
        if (!bytes_reserve(&recs, (size_t)nb * REC * 4) || !bytes_reserve(&terms, 4)
            || !bytes_reserve(&rec_ends, 8)) {
            ok = 0;
            oom = 1;
            break;
        }
        uint32_t *r = (uint32_t *)(recs.buf + recs.len);
        memset(r, 0, (size_t)nb * REC * 4);
        int64_t doc = 0;
        for (int64_t k = 0; k < df; k++) {
            if (k % block_docs == 0)
                r[(k / block_docs) * REC + 1] = (uint32_t)(p - base);
            if (!read_varint(&p, end, &v)) {
                ok = 0;
                break;
            }
            doc += layout == CHARS ? v : v >> 1;
            count[k] = (layout != CHARS && (v & 1)) ? -1 : 1;
            if (k % block_docs == block_docs - 1 || k == df - 1)
                r[(k / block_docs) * REC] = (uint32_t)doc;
        }
        if (ok && layout != CHARS) {
            for (int64_t k = 0; k < df; k++) {
                if (k % block_docs == 0)
                    r[(k / block_docs) * REC + 2] = (uint32_t)(p - base);
                if (count[k] < 0 && !read_varint(&p, end, &count[k])) {
                    ok = 0;
                    break;
                }
                uint32_t *m = &r[(k / block_docs) * REC + 3];
                if (layout == WORDS && (uint64_t)count[k] > *m)
                    *m = (uint32_t)count[k];
            }
        }
        if (ok && layout == GRAMS) {
            for (int64_t k = 0; k < df; k++) {
                if (k % block_docs == 0)
                    r[(k / block_docs) * REC + 3] = (uint32_t)(p - base);
                for (int64_t j = 0; j < count[k]; j++) {
                    if (!read_varint(&p, end, &v)) {
                        ok = 0;
                        break;
                    }
                }
                if (!ok)
                    break;
            }
        }
        if (!ok)
            break;
        recs.len += (size_t)nb * REC * 4;
        n_recs += nb;
        uint32_t tt = (uint32_t)t;
        memcpy(terms.buf + terms.len, &tt, 4);
        terms.len += 4;
        memcpy(rec_ends.buf + rec_ends.len, &n_recs, 8);
        rec_ends.len += 8;
    }
    Py_END_ALLOW_THREADS
    free(count);
    release_buffers(b, 2);
    PyObject *result = NULL;
    if (oom)
        PyErr_NoMemory();
    else if (!ok)
        PyErr_SetString(PyExc_ValueError, "damaged postings: the bytes are not lists");
    else
        result = Py_BuildValue("y#y#y#", terms.buf ? (char *)terms.buf : "",
                               (Py_ssize_t)terms.len,
                               rec_ends.buf ? (char *)rec_ends.buf : "",
                               (Py_ssize_t)rec_ends.len,
                               recs.buf ? (char *)recs.buf : "", (Py_ssize_t)recs.len);
    free(terms.buf);
    free(rec_ends.buf);
    free(recs.buf);
    return result;
}

PyDoc_STRVAR(postings_in_doc,
"postings_in(data, starts, offsets, sizes, skips, skip_starts, layout, block_docs, cand,\n"
"            docs, weights, positions) -> (n_docs, n_positions)\n\n"
"postings() kept to the documents of ``cand`` (int64 global docnums, ascending):\n"
"the same lists and outputs, but a list with a skip table (``skips``: uint32 records,\n"
"segment s's from ``skip_starts[s]`` to ``skip_starts[s + 1]``, in records; none: the\n"
"list is one block) is decoded only in the blocks whose docnum range holds a document\n"
"of ``cand``, and only those documents (their counts, their positions) are written.\n"
"Raises ValueError (\"damaged postings\") on what postings() refuses in the blocks it\n"
"reads, a skip table that does not fit its list, or a block that does not end on its\n"
"recorded docnum.");

/* One block of a list: ``n`` documents from *pd (deltas), *pc (counts) and *pp
 * (positions), the docnum before it ``doc`` (its first delta may be 0 only when
 * ``first``); writes the documents of cand[*c..n_cand) it holds.  Returns the block's
 * last docnum, or -1 on damage; advances the pointers. */
typedef struct {
    const int64_t *cand;
    Py_ssize_t n_cand, c;
    int64_t *docs, *pos;
    double *weights;
    Py_ssize_t nd, np_, cap;
    int64_t *tmp_count; /* n entries */
    uint8_t *tmp_in;    /* n entries */
} Out;

static int64_t block_in(const uint8_t **pd, const uint8_t **pc, const uint8_t **pp,
                        const uint8_t *de, const uint8_t *ce, const uint8_t *pe, int64_t n,
                        int64_t doc, int first, int layout, int64_t n_docs, int64_t offset,
                        Out *o)
{
    int64_t v;
    for (int64_t k = 0; k < n; k++) {
        if (!read_varint(pd, de, &v))
            return -1;
        int64_t delta = layout == CHARS ? v : v >> 1;
        if ((!(first && k == 0) && delta < 1) || delta >= n_docs - doc)
            return -1;
        doc += delta;
        o->tmp_count[k] = (layout != CHARS && (v & 1)) ? -1 : 1;
        int64_t g = doc + offset;
        while (o->c < o->n_cand && o->cand[o->c] < g)
            o->c++;
        o->tmp_in[k] = o->c < o->n_cand && o->cand[o->c] == g;
        if (o->tmp_in[k])
            o->docs[o->nd + k] = g; /* compacted below */
    }
    if (layout != CHARS) {
        for (int64_t k = 0; k < n; k++) {
            if (o->tmp_count[k] < 0) {
                if (!read_varint(pc, ce, &v) || v < 2 || v > MAX_COUNT)
                    return -1;
                o->tmp_count[k] = v;
            }
        }
    }
    Py_ssize_t w = o->nd;
    for (int64_t k = 0; k < n; k++) {
        if (layout == GRAMS) {
            int64_t at = 0;
            if (o->tmp_count[k] > pe - *pp)
                return -1;
            for (int64_t j = 0; j < o->tmp_count[k]; j++) {
                if (!read_varint(pp, pe, &v) || (j > 0 && v < 1) || v > MAX_POSITION - at)
                    return -1;
                at += v;
                if (o->tmp_in[k]) {
                    if (o->np_ >= o->cap)
                        return -1;
                    o->pos[o->np_++] = at;
                }
            }
        }
        if (o->tmp_in[k]) {
            o->docs[w] = o->docs[o->nd + k];
            o->weights[w++] = (double)o->tmp_count[k];
        }
    }
    o->nd = w;
    return doc;
}

static PyObject *postings_in(PyObject *self, PyObject *args)
{
    PyObject *objs[10];
    int layout, block_docs;
    if (!PyArg_ParseTuple(args, "OOOOOOiiOOOO", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &layout, &block_docs, &objs[6], &objs[7],
                          &objs[8], &objs[9]))
        return NULL;
    if (layout < CHARS || layout > GRAM_COUNTS || block_docs < 1) {
        PyErr_SetString(PyExc_ValueError, "postings_in: layout 0-3, block_docs >= 1");
        return NULL;
    }
    Py_buffer b[10];
    static const int writable[10] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    static const Py_ssize_t size[10] = {1, 8, 8, 8, 4, 8, 8, 8, 8, 8};
    static const char *const names[10] = {"data", "starts", "offsets", "sizes", "skips",
                                          "skip_starts", "cand", "docs", "weights",
                                          "positions"};
    if (get_buffers(objs, b, 10, writable, size, names) < 0)
        return NULL;
    const uint8_t *data = b[0].buf;
    const int64_t *starts = b[1].buf, *offsets = b[2].buf, *sizes = b[3].buf;
    const uint32_t *skips = b[4].buf;
    const int64_t *skip_starts = b[5].buf;
    Py_ssize_t n_seg = b[2].len / 8, cap = b[0].len, n_recs = b[4].len / (4 * REC);
    Out o = {b[6].buf, b[6].len / 8, 0, b[7].buf, b[9].buf, b[8].buf, 0, 0, cap, NULL, NULL};
    int ok = b[1].len / 8 == n_seg + 1 && b[3].len / 8 == n_seg && b[5].len / 8 == n_seg + 1
             && b[7].len / 8 >= cap && b[8].len / 8 >= cap && b[9].len / 8 >= cap;
    for (Py_ssize_t s = 0; ok && s < n_seg; s++)
        ok = sizes[s] >= 0 && starts[s] >= 0 && starts[s] <= starts[s + 1]
             && starts[s + 1] <= cap && skip_starts[s] >= 0
             && skip_starts[s] <= skip_starts[s + 1] && skip_starts[s + 1] <= n_recs;
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "postings_in: arrays of the wrong length or order");
        release_buffers(b, 10);
        return NULL;
    }
    o.tmp_count = malloc((cap ? cap : 1) * sizeof *o.tmp_count);
    o.tmp_in = malloc(cap ? cap : 1);
    if (!o.tmp_count || !o.tmp_in) {
        free(o.tmp_count);
        free(o.tmp_in);
        release_buffers(b, 10);
        return PyErr_NoMemory();
    }
    int dlayout = layout == GRAM_COUNTS ? GRAMS : layout; /* how the bytes are laid out */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; ok && s < n_seg && o.c < o.n_cand; s++) {
        const uint8_t *base = data + starts[s], *p = base, *end = data + starts[s + 1];
        int64_t df, v, n_docs = sizes[s], offset = offsets[s];
        if (!read_varint(&p, end, &df) || df < 1 || df > end - p) {
            ok = 0;
            break;
        }
        if (o.cand[o.c] >= offset + n_docs)
            continue; /* no candidate in this segment */
        const uint32_t *r = skips + skip_starts[s] * REC;
        int64_t nb = skip_starts[s + 1] - skip_starts[s];
        int positions = layout == GRAMS;
        if (nb == 0) { /* one block: find where its counts and positions start */
            const uint8_t *pc = p, *pp;
            int64_t n_many = 0;
            for (int64_t k = 0; k < df; k++) {
                if (!read_varint(&pc, end, &v)) {
                    ok = 0;
                    break;
                }
                n_many += dlayout != CHARS && (v & 1);
            }
            pp = pc;
            for (int64_t k = 0; ok && k < n_many; k++)
                ok = read_varint(&pp, end, &v);
            if (!ok)
                break;
            const uint8_t *pd = p;
            int l = positions ? GRAMS : (dlayout == GRAMS ? WORDS : dlayout);
            if (block_in(&pd, &pc, &pp, end, end, end, df, 0, 1, l, n_docs, offset, &o) < 0
                || (layout == CHARS && pd != end) || (layout == WORDS && pc != end)
                || (layout == GRAMS && pp != end)) {
                ok = 0;
                break;
            }
            continue;
        }
        if (nb != (df + block_docs - 1) / block_docs || r[2] > end - base
            || (dlayout == GRAMS && r[3] > end - base)) {
            ok = 0;
            break;
        }
        int64_t prev = 0;
        for (int64_t k = 0; ok && k < nb && o.c < o.n_cand; k++) {
            const uint32_t *rec = r + k * REC;
            int64_t last = rec[0];
            if (last < prev || last >= n_docs || (k > 0 && last == prev)) {
                ok = 0;
                break;
            }
            while (o.c < o.n_cand && o.cand[o.c] <= prev + offset - (k == 0))
                o.c++;
            if (o.c == o.n_cand || o.cand[o.c] > last + offset) {
                prev = last;
                continue;
            }
            const uint8_t *pd = base + rec[1], *pc = base + rec[2],
                          *pp = base + (dlayout == GRAMS ? rec[3] : 0);
            if (rec[1] > end - base || rec[2] > end - base
                || (dlayout == GRAMS && rec[3] > end - base)) {
                ok = 0;
                break;
            }
            int64_t n = k == nb - 1 ? df - k * block_docs : block_docs;
            int l = positions ? GRAMS : (dlayout == GRAMS ? WORDS : dlayout);
            /* Each block ends where the next one's parts start (the last: where the
             * list's next part starts, or at its end): a record cannot point into
             * another block's numbers unnoticed.  Each part is read up to its own end
             * only, so a block decodes from the bytes its records name and no others
             * (a reader may have read only those: postings_view's partial reads). */
            const uint32_t *next = k + 1 < nb ? rec + REC : NULL;
            if (next && (next[1] > end - base || next[2] > end - base
                         || (dlayout == GRAMS && next[3] > end - base))) {
                ok = 0;
                break;
            }
            const uint8_t *deltas_end = next ? base + next[1]
                                        : (dlayout == CHARS ? end : base + r[2]);
            const uint8_t *counts_end = next ? base + next[2]
                                        : (dlayout == GRAMS ? base + r[3] : end);
            const uint8_t *positions_end = next ? base + next[3] : end;
            if (block_in(&pd, &pc, &pp, deltas_end, counts_end, positions_end, n, prev,
                         k == 0, l, n_docs, offset, &o) != last) {
                ok = 0;
                break;
            }
            if (pd != deltas_end || (dlayout != CHARS && pc != counts_end)
                || (positions && pp != positions_end)) {
                ok = 0;
                break;
            }
            prev = last;
        }
    }
    Py_END_ALLOW_THREADS
    free(o.tmp_count);
    free(o.tmp_in);
    release_buffers(b, 10);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError,
                        "damaged postings: the bytes are not a list of this layout");
        return NULL;
    }
    return Py_BuildValue("nn", o.nd, o.np_);
}

PyDoc_STRVAR(union_df_doc,
"union_df(a_data, a_ends, a_terms, b_data, b_ends, b_terms, out)\n\n"
"For each pair k, how many documents hold term ``a_terms[k]`` of field A (its list in\n"
"``a_data``/``a_ends``, the layout of word and gram fields) or term ``b_terms[k]`` of\n"
"field B (-1: the field does not have it): the title-or-body document frequency BM25F\n"
"weighs a word by, counted once when a segment is written.  Only the docnum deltas of\n"
"the two lists are read (not counts, not positions).  ``a_terms``, ``b_terms``: int64;\n"
"``out``: uint32.  Raises ValueError on bytes that are not lists.");

/* The docnums of one list, from its start: df, then the deltas (shifted left by one). */
typedef struct {
    const uint8_t *p, *end;
    int64_t left, doc;
} DocWalk;

static int walk_start(DocWalk *w, const uint8_t *data, const int64_t *ends, Py_ssize_t n_terms,
                      Py_ssize_t len, int64_t t)
{
    w->left = 0;
    w->doc = -1;
    if (t < 0)
        return 1;
    if (t >= n_terms)
        return 0;
    int64_t start = t ? ends[t - 1] : 0, stop = ends[t];
    if (start < 0 || stop < start || stop > len)
        return 0;
    w->p = data + start;
    w->end = data + stop;
    int64_t df;
    if (!read_varint(&w->p, w->end, &df) || df < 1 || df > w->end - w->p)
        return 0;
    w->left = df;
    w->doc = 0;
    return 1;
}

/* The next docnum into w->doc; 0 when the list is done (w->left == 0), -1 on damage. */
static int walk_next(DocWalk *w, int first)
{
    int64_t v;
    if (!w->left)
        return 0;
    if (!read_varint(&w->p, w->end, &v))
        return -1;
    int64_t delta = v >> 1;
    if (!first && delta < 1)
        return -1;
    w->doc += delta;
    w->left--;
    return 1;
}

static PyObject *union_df(PyObject *self, PyObject *args)
{
    PyObject *objs[7];
    if (!PyArg_ParseTuple(args, "OOOOOOO", &objs[0], &objs[1], &objs[2], &objs[3], &objs[4],
                          &objs[5], &objs[6]))
        return NULL;
    Py_buffer b[7];
    static const int writable[7] = {0, 0, 0, 0, 0, 0, 1};
    static const Py_ssize_t size[7] = {1, 8, 8, 1, 8, 8, 4};
    static const char *const names[7] = {"a_data", "a_ends", "a_terms", "b_data", "b_ends",
                                         "b_terms", "out"};
    if (get_buffers(objs, b, 7, writable, size, names) < 0)
        return NULL;
    const int64_t *a_ends = b[1].buf, *a_terms = b[2].buf, *b_ends = b[4].buf,
                  *b_terms = b[5].buf;
    uint32_t *out = b[6].buf;
    Py_ssize_t n = b[2].len / 8;
    int ok = b[5].len / 8 == n && b[6].len / 4 == n;
    if (!ok) {
        release_buffers(b, 7);
        PyErr_SetString(PyExc_ValueError, "union_df: arrays of different lengths");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        DocWalk wa, wb;
        if (!walk_start(&wa, b[0].buf, a_ends, b[1].len / 8, b[0].len, a_terms[k])
            || !walk_start(&wb, b[3].buf, b_ends, b[4].len / 8, b[3].len, b_terms[k])) {
            ok = 0;
            break;
        }
        int ra = walk_next(&wa, 1), rb = walk_next(&wb, 1);
        int64_t count = 0;
        while (ra > 0 || rb > 0) {
            count++;
            if (ra > 0 && rb > 0 && wa.doc == wb.doc) {
                ra = walk_next(&wa, 0);
                rb = walk_next(&wb, 0);
            } else if (rb <= 0 || (ra > 0 && wa.doc < wb.doc)) {
                ra = walk_next(&wa, 0);
            } else {
                rb = walk_next(&wb, 0);
            }
        }
        if (ra < 0 || rb < 0 || count > UINT32_MAX) {
            ok = 0;
            break;
        }
        out[k] = (uint32_t)count;
    }
    Py_END_ALLOW_THREADS
    release_buffers(b, 7);
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "damaged postings: the bytes are not lists");
        return NULL;
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(place_across_doc,
"place_across(tables, key, word, out) -> None\n\n"
"Where one term is in each of several segments' term tables (``tables``: per segment\n"
"``(keys, ends, word_ends, word_data, skip_terms, skip_ends, skip_df)``, the last five\n"
"None where the field has none; ``ends``, ``word_ends`` and ``skip_ends`` of 4 or 8\n"
"bytes an item): into row k of ``out`` (int64, six a segment) the term's index, the\n"
"first and last+1 byte of its list, of its skip records (16 bytes each) and its\n"
"title-or-body count, or -1 and zeros where the segment lacks it.  ``key`` is the\n"
"term's key, ``word`` its UTF-8 where keys are hashes (the word stored is compared),\n"
"else None.  A table's entries outside its arrays never match.  The Python reference\n"
"is ``SegmentPostings.place``.");

/* Item i of a table of unsigned items of 4 or 8 bytes. */
static inline uint64_t item_at(const Py_buffer *b, Py_ssize_t i)
{
    return b->itemsize == 4 ? ((const uint32_t *)b->buf)[i] : ((const uint64_t *)b->buf)[i];
}

/* The first index of a sorted table whose item is not below v. */
static Py_ssize_t lower_bound(const Py_buffer *b, uint64_t v)
{
    Py_ssize_t lo = 0, hi = b->len / b->itemsize;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (item_at(b, mid) < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One segment's row of place_across: 0, or -1 with an exception set. */
static int place_one(PyObject *table, uint64_t key, const char *word, Py_ssize_t wlen,
                     int64_t *row)
{
    if (!PyTuple_Check(table) || PyTuple_GET_SIZE(table) != 7) {
        PyErr_SetString(PyExc_TypeError, "place_across: a table is a tuple of 7");
        return -1;
    }
    Py_buffer b[7];
    int taken = 0, rc = -1;
    for (; taken < 7; taken++) {
        PyObject *o = PyTuple_GET_ITEM(table, taken);
        if (o == Py_None) {
            b[taken].obj = NULL;
            b[taken].buf = NULL;
            b[taken].len = 0;
            b[taken].itemsize = 1;
            continue;
        }
        if (PyObject_GetBuffer(o, &b[taken], PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0)
            goto done;
        Py_ssize_t want = taken == 0 ? 8 : taken == 3 ? 1 : taken == 4 || taken == 6 ? 4 : 0;
        if (want ? b[taken].itemsize != want
                 : b[taken].itemsize != 4 && b[taken].itemsize != 8) {
            PyBuffer_Release(&b[taken]);
            PyErr_SetString(PyExc_TypeError, "place_across: a table of the wrong item size");
            goto done;
        }
    }
    row[0] = -1;
    row[1] = row[2] = row[3] = row[4] = 0;
    row[5] = -1;
    Py_ssize_t n_keys = b[0].len / 8, n_ends = b[1].len / b[1].itemsize;
    Py_ssize_t i = lower_bound(&b[0], key);
    for (; i < n_keys && i < n_ends && ((const uint64_t *)b[0].buf)[i] == key; i++) {
        if (word == NULL)
            break;
        if (b[2].buf == NULL || i >= b[2].len / b[2].itemsize)
            continue;
        uint64_t a = i ? item_at(&b[2], i - 1) : 0, z = item_at(&b[2], i);
        if (a <= z && z <= (uint64_t)b[3].len && (Py_ssize_t)(z - a) == wlen
            && memcmp((const char *)b[3].buf + a, word, (size_t)wlen) == 0)
            break;
    }
    rc = 0;
    if (i >= n_keys || i >= n_ends || ((const uint64_t *)b[0].buf)[i] != key)
        goto done;
    row[0] = i;
    row[1] = i ? (int64_t)item_at(&b[1], i - 1) : 0;
    row[2] = (int64_t)item_at(&b[1], i);
    if (b[4].buf != NULL) {
        Py_ssize_t n_terms = b[4].len / 4;
        Py_ssize_t k = lower_bound(&b[4], (uint64_t)i);
        if (k < n_terms && ((const uint32_t *)b[4].buf)[k] == (uint64_t)i
            && k < b[5].len / b[5].itemsize && k < b[6].len / 4) {
            row[3] = (k ? (int64_t)item_at(&b[5], k - 1) : 0) * 16;
            row[4] = (int64_t)item_at(&b[5], k) * 16;
            row[5] = ((const uint32_t *)b[6].buf)[k];
        }
    }
done:
    while (taken--)
        if (b[taken].obj != NULL || b[taken].buf != NULL)
            PyBuffer_Release(&b[taken]);
    return rc;
}

static PyObject *place_across(PyObject *self, PyObject *args)
{
    PyObject *tables, *word_obj, *out_obj;
    unsigned long long key;
    if (!PyArg_ParseTuple(args, "OKOO", &tables, &key, &word_obj, &out_obj))
        return NULL;
    PyObject *seq = PySequence_Fast(tables, "place_across: tables is a sequence");
    if (seq == NULL)
        return NULL;
    const char *word = NULL;
    Py_ssize_t wlen = 0;
    if (word_obj != Py_None && PyBytes_AsStringAndSize(word_obj, (char **)&word, &wlen) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_buffer out;
    if (get_buffer(out_obj, &out, 1, 8, "out") < 0) {
        Py_DECREF(seq);
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int ok = out.len / 8 == 6 * n;
    if (!ok)
        PyErr_SetString(PyExc_ValueError, "place_across: out holds six items a table");
    for (Py_ssize_t k = 0; ok && k < n; k++)
        ok = place_one(PySequence_Fast_GET_ITEM(seq, k), (uint64_t)key, word, wlen,
                       (int64_t *)out.buf + 6 * k) == 0;
    PyBuffer_Release(&out);
    Py_DECREF(seq);
    if (!ok)
        return NULL;
    Py_RETURN_NONE;
}

/* --- words: a token with a letter, digit or ideograph --------------------------- */

static int token_is_word(PyObject *tok)
{
    int kind = PyUnicode_KIND(tok);
    const void *data = PyUnicode_DATA(tok);
    Py_ssize_t n = PyUnicode_GET_LENGTH(tok);
    for (Py_ssize_t i = 0; i < n; i++)
        if (Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i)))
            return 1;
    return 0;
}

PyDoc_STRVAR(is_word_doc,
"is_word(token) -> bool\n\n"
"Whether ``token`` has a character that ``str.isalnum`` accepts (a letter, digit or\n"
"ideograph): the tokens indexed and searched as words.");

static PyObject *is_word_fn(PyObject *self, PyObject *tok)
{
    if (!PyUnicode_Check(tok) || PyUnicode_READY(tok) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "is_word: a str expected");
        return NULL;
    }
    return PyBool_FromLong(token_is_word(tok));
}

/* --- numbering a segment's tokens ------------------------------------------------- */

/* A table from a token's text to its word id, open addressing with linear probing.  A
 * token is found by its characters as CPython stores them (one kind, 1, 2 or 4 bytes a
 * character: two equal strings have the same kind and bytes), hashed here in one pass,
 * and a key of up to 16 bytes (8 ideographs) lies in its slot: one cache line a lookup,
 * where a dict hashes the fresh string with SipHash and reads its entry and its key's
 * object besides. */
typedef struct {
    uint64_t hash;
    int32_t id;      /* the word id, or -1: not a word */
    uint8_t kind;    /* 0: an empty slot */
    uint8_t inline_; /* the key's bytes are in key.bytes (else in the arena) */
    uint16_t len;    /* an inline key's length in bytes */
    union {
        uint8_t bytes[16];
        struct { uint64_t offset, len; } far;
    } key;
} NumberSlot;

typedef struct {
    PyObject_HEAD
    PyObject *is_word;   /* a Python callable, or NULL: this module's is_word, in C */
    PyObject *vocab;     /* list: the words, by id */
    NumberSlot *slots;
    size_t mask;         /* slots - 1, a power of two less one */
    size_t used;
    uint8_t *arena;      /* keys longer than 16 bytes */
    size_t arena_len, arena_cap;
} Numbering;

static inline uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static uint64_t key_hash(const uint8_t *p, size_t n, int kind)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL * ((uint64_t)n * 8 + (uint64_t)kind);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    }
    return mix64(h);
}

static int numbering_grow(Numbering *self)
{
    size_t cap = (self->mask + 1) * 2;
    NumberSlot *slots = PyMem_Calloc(cap, sizeof(NumberSlot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i <= self->mask; i++) {
        NumberSlot *s = &self->slots[i];
        if (s->kind == 0)
            continue;
        size_t j = (size_t)s->hash & (cap - 1);
        while (slots[j].kind != 0)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    PyMem_Free(self->slots);
    self->slots = slots;
    self->mask = cap - 1;
    return 0;
}

/* The slot holding tok's key, or the empty slot where it goes. */
static inline NumberSlot *numbering_find(Numbering *self, const uint8_t *p, size_t n,
                                         int kind, uint64_t h)
{
    size_t j = (size_t)h & self->mask;
    for (;;) {
        NumberSlot *s = &self->slots[j];
        if (s->kind == 0)
            return s;
        if (s->hash == h && s->kind == kind) {
            if (s->inline_ ? (n == (size_t)s->len && memcmp(s->key.bytes, p, n) == 0)
                           : (s->key.far.len == n
                              && memcmp(self->arena + s->key.far.offset, p, n) == 0))
                return s;
        }
        j = (j + 1) & self->mask;
    }
}

static PyObject *numbering_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *is_word;
    static char *kwlist[] = {"is_word", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Numbering", kwlist, &is_word))
        return NULL;
    Numbering *self = (Numbering *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vocab = PyList_New(0);
    self->slots = PyMem_Calloc(1024, sizeof(NumberSlot));
    if (self->vocab == NULL || self->slots == NULL) {
        if (self->slots == NULL)
            PyErr_NoMemory();
        Py_DECREF(self);
        return NULL;
    }
    self->mask = 1023;
    if (!(PyCFunction_Check(is_word) && PyCFunction_GET_FUNCTION(is_word) == (PyCFunction)is_word_fn)) {
        Py_INCREF(is_word);
        self->is_word = is_word;
    }
    return (PyObject *)self;
}

static void numbering_dealloc(Numbering *self)
{
    Py_XDECREF(self->is_word);
    Py_XDECREF(self->vocab);
    PyMem_Free(self->slots);
    PyMem_Free(self->arena);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

PyDoc_STRVAR(numbering_ids_doc,
"ids(tokens) -> bytes\n\n"
"Each token's word id (int32 bytes): a token seen before gets the id it got then; a\n"
"new one the next id (and is appended to ``vocab``) where ``is_word(token)``, else -1.");

static PyObject *numbering_ids(Numbering *self, PyObject *tokens)
{
    if (!PyList_Check(tokens)) {
        PyErr_SetString(PyExc_TypeError, "ids: tokens is a list of str");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n * 4);
    if (!out)
        return NULL;
    int32_t *o = (int32_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tok = PyList_GET_ITEM(tokens, i);
        if (!PyUnicode_Check(tok) || PyUnicode_READY(tok) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "ids: tokens is a list of str");
            goto fail;
        }
        int kind = PyUnicode_KIND(tok);
        size_t nb = (size_t)PyUnicode_GET_LENGTH(tok) * (size_t)kind;
        const uint8_t *p = PyUnicode_DATA(tok);
        uint64_t h = key_hash(p, nb, kind);
        NumberSlot *s = numbering_find(self, p, nb, kind, h);
        if (s->kind == 0) {
            int yes;
            if (self->is_word == NULL) {
                yes = token_is_word(tok);
            } else {
                PyObject *w = PyObject_CallOneArg(self->is_word, tok);
                if (!w)
                    goto fail;
                yes = PyObject_IsTrue(w);
                Py_DECREF(w);
                if (yes < 0)
                    goto fail;
            }
            Py_ssize_t id = yes ? PyList_GET_SIZE(self->vocab) : -1;
            if (id > INT32_MAX) {
                PyErr_SetString(PyExc_OverflowError, "ids: more words than an int32 numbers");
                goto fail;
            }
            if (yes && PyList_Append(self->vocab, tok) < 0)
                goto fail;
            if (nb > 16) {
                if (self->arena_len + nb > self->arena_cap) {
                    size_t cap = (self->arena_cap ? self->arena_cap * 2 : 65536);
                    while (cap < self->arena_len + nb)
                        cap *= 2;
                    uint8_t *a = PyMem_Realloc(self->arena, cap);
                    if (a == NULL) {
                        PyErr_NoMemory();
                        goto fail;
                    }
                    self->arena = a;
                    self->arena_cap = cap;
                }
                memcpy(self->arena + self->arena_len, p, nb);
                s->key.far.offset = self->arena_len;
                s->key.far.len = nb;
                s->inline_ = 0;
                self->arena_len += nb;
            } else {
                memcpy(s->key.bytes, p, nb);
                s->len = (uint16_t)nb;
                s->inline_ = 1;
            }
            s->hash = h;
            s->id = (int32_t)id;
            s->kind = (uint8_t)kind;
            o[i] = (int32_t)id;
            if (++self->used * 2 > self->mask + 1 && numbering_grow(self) < 0)
                goto fail;
        } else {
            o[i] = s->id;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef numbering_methods[] = {
    {"ids", (PyCFunction)numbering_ids, METH_O, numbering_ids_doc},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef numbering_members[] = {
    {"vocab", T_OBJECT_EX, offsetof(Numbering, vocab), READONLY,
     "the words, by id (a list of str)"},
    {NULL, 0, 0, 0, NULL},
};

PyDoc_STRVAR(numbering_doc,
"Numbering(is_word)\n\n"
"A segment's tokens numbered: each distinct token that ``is_word`` accepts gets the\n"
"next word id, in the order first seen; other tokens -1 (this module's own\n"
"``is_word`` runs in C, without a call).  The segment builder's per-token loop, with\n"
"its own table keyed by the tokens' characters (a Python dict hashes every fresh token\n"
"with SipHash and touches three places in memory).");

static PyTypeObject NumberingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "search._native.Numbering",
    .tp_basicsize = sizeof(Numbering),
    .tp_dealloc = (destructor)numbering_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = numbering_doc,
    .tp_methods = numbering_methods,
    .tp_members = numbering_members,
    .tp_new = numbering_new,
};

/* --- text ------------------------------------------------------------------------- */

PyDoc_STRVAR(fold_doc,
"fold(text, table) -> str\n\n"
"``text`` with each character ``c`` below ``len(table)`` replaced by ``chr(table[c])``\n"
"(``table``: uint32, one entry per code point): search.text.normalize.normalize's\n"
"one-to-one fold as an array lookup.  ``str.translate`` with a dictionary makes an\n"
"integer object and a dictionary lookup per character (~70 us an article).");

static PyObject *fold(PyObject *self, PyObject *args)
{
    PyObject *text, *table_obj;
    if (!PyArg_ParseTuple(args, "UO", &text, &table_obj))
        return NULL;
    Py_buffer tb;
    if (get_buffer(table_obj, &tb, 0, 4, "table") < 0)
        return NULL;
    const uint32_t *table = tb.buf;
    Py_ssize_t size = tb.len / 4, n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *out = PyMem_Malloc((n ? n : 1) * sizeof *out);
    if (!out) {
        PyBuffer_Release(&tb);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        out[i] = (Py_ssize_t)c < size ? table[c] : c;
    }
    PyBuffer_Release(&tb);
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n);
    PyMem_Free(out);
    return result;
}

static PyMethodDef methods[] = {
    {"is_word", is_word_fn, METH_O, is_word_doc},
    {"fold", fold, METH_VARARGS, fold_doc},
    {"encode_postings", encode_postings, METH_VARARGS, encode_postings_doc},
    {"bm25f", bm25f, METH_VARARGS, bm25f_doc},
    {"facet_counts", facet_counts, METH_VARARGS, facet_counts_doc},
    {"top_k", top_k, METH_VARARGS, top_k_doc},
    {"phrase", phrase, METH_VARARGS, phrase_doc},
    {"merge_add", merge_add, METH_VARARGS, merge_add_doc},
    {"varints", varints, METH_VARARGS, varints_doc},
    {"postings", postings, METH_VARARGS, postings_doc},
    {"postings_in", postings_in, METH_VARARGS, postings_in_doc},
    {"skip_table", skip_table, METH_VARARGS, skip_table_doc},
    {"union_df", union_df, METH_VARARGS, union_df_doc},
    {"place_across", place_across, METH_VARARGS, place_across_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "The engine's hot loops in C (see search/_native.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__native(void)
{
    if (PyType_Ready(&NumberingType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&NumberingType);
    if (PyModule_AddObject(m, "Numbering", (PyObject *)&NumberingType) < 0) {
        Py_DECREF(&NumberingType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
