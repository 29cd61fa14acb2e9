/* Internal contract of src/http: the HTTP configuration, per-directory settings, shared helpers. */
#ifndef NTMPM_HTTP_INT_H
#define NTMPM_HTTP_INT_H

#include "http.h"

#include <stddef.h>
#include <stdint.h>

/* ---- configuration ---------------------------------------------------------------------- */

/* Options bits (httpd's OPT_*). */
#define HTTP_OPT_INDEXES 0x01u
#define HTTP_OPT_FOLLOW_SYMLINKS 0x02u
#define HTTP_OPT_SYM_OWNER 0x04u
#define HTTP_OPT_EXECCGI 0x08u
#define HTTP_OPT_INCLUDES 0x10u
#define HTTP_OPT_MULTIVIEWS 0x20u
#define HTTP_OPT_ALL                                                                               \
    (HTTP_OPT_INDEXES | HTTP_OPT_FOLLOW_SYMLINKS | HTTP_OPT_SYM_OWNER | HTTP_OPT_EXECCGI |         \
     HTTP_OPT_INCLUDES)

enum http_require { HTTP_REQUIRE_UNSET = 0, HTTP_REQUIRE_GRANTED, HTTP_REQUIRE_DENIED };

/* The settings a <Directory> or <Location> section (or the server) carries; *_set says whether
 * the section named it (merging takes the later section's set values). */
struct http_dir_conf {
    unsigned options;                  /* absolute Options, when options_set */
    unsigned options_add, options_del; /* relative Options (+X / -X) */
    int options_set;
    char **index; /* DirectoryIndex names; n_index 0 with index_set: "disabled" */
    size_t n_index;
    int index_set;
    char *handler; /* SetHandler; NULL with handler_set: "None" */
    int handler_set;
    enum http_require require;
    const void *index_node; /* the DirectoryIndex line being read (ITERATE) */
    /* MaxRanges, MaxRangeOverlaps, MaxRangeReversals: HTTP_LIMIT_UNSET (inherit), a count,
     * HTTP_LIMIT_NONE, HTTP_LIMIT_UNLIMITED or HTTP_LIMIT_DEFAULT. */
    long max_ranges, max_overlaps, max_reversals;
};
#define HTTP_LIMIT_UNSET 0
#define HTTP_LIMIT_NONE (-1)
#define HTTP_LIMIT_UNLIMITED (-2)
#define HTTP_LIMIT_DEFAULT (-3)

struct http_section {
    int is_location;
    char *path; /* <Directory>: absolute, '/' separated, no trailing '/'; <Location>: URL-path */
    size_t len;
    struct http_dir_conf dc;
};

enum http_tokens {
    HTTP_TOKENS_PROD,
    HTTP_TOKENS_MAJOR,
    HTTP_TOKENS_MINOR,
    HTTP_TOKENS_MINIMAL,
    HTTP_TOKENS_OS,
    HTTP_TOKENS_FULL,
};

/* FileETag components (httpd's ETAG_*). */
#define HTTP_ETAG_MTIME 0x1u
#define HTTP_ETAG_SIZE 0x2u
#define HTTP_ETAG_INODE 0x4u

struct http_mime_ext {
    char *ext; /* lower case, without the dot */
    char *type;
};

/* A compiled log format: literal text and directives. */
struct http_log_item {
    char kind;  /* 0: literal; else the directive letter ('h', 'r', 's', 'i'...) */
    char final; /* %>s */
    char *text; /* literal text, or the {argument} */
    size_t text_len;
};
struct http_log_format {
    struct http_log_item *items;
    size_t n_items;
};
struct http_log_target {
    char *path; /* absolute */
    struct http_log_format fmt;
    char *raw; /* the CustomLog argument (a nickname or a format); NULL: TransferLog */
    HANDLE h;  /* the child's append handle, INVALID_HANDLE_VALUE until opened */
};
struct http_log_nick {
    char *name;
    char *format;
};

struct http_config {
    unsigned limit_line;       /* LimitRequestLine 8190 */
    unsigned limit_field_size; /* LimitRequestFieldSize 8190 */
    unsigned limit_fields;     /* LimitRequestFields 100 (0: unlimited) */
    enum http_tokens tokens;   /* ServerTokens Full */
    int server_signature;      /* ServerSignature Off */
    unsigned etag;             /* FileETag MTime Size */
    const void *etag_node;     /* the FileETag line being read (ITERATE) */
    int allow_encoded_slashes; /* AllowEncodedSlashes Off (0), On (1), NoDecode (2) */
    int extended_status;       /* ExtendedStatus (On once mod_status is in, as httpd 2.4) */
    char *types_config;        /* TypesConfig: absolute; default ServerRoot/conf/mime.types */
    int types_config_set;
    char *default_type;              /* NULL: no Content-Type when unknown (httpd 2.4's "none") */
    struct http_mime_ext *add_types; /* AddType, in order (later wins) */
    size_t n_add_types;
    struct http_mime_ext *types; /* TypesConfig + AddType, sorted by ext (built after the
                                  * directives); strings point into types_text or add_types */
    size_t n_types;
    char *types_text;
    struct http_dir_conf server; /* outside sections */
    struct http_section *dirs;   /* <Directory>, sorted by path length (shortest first) */
    size_t n_dirs;
    struct http_section *locs; /* <Location>, in order */
    size_t n_locs;
    struct http_log_nick *nicks; /* LogFormat name -> format */
    size_t n_nicks;
    char *default_format; /* LogFormat without a name (TransferLog's format) */
    struct http_log_target *logs;
    size_t n_logs;
};

/* conf's HTTP settings (the defaults when no HTTP module ran: tests, a bare config). */
const struct http_config *http_config_of(const struct server_config *conf);

/* The effective per-request settings: server, then Directory sections matching fs_path by
 * length, then Location sections matching url_path in order (httpd's merge). */
void http_dir_conf_for(const struct http_config *hc, const char *fs_path, const char *url_path,
                       struct http_dir_conf *out);
/* Effective Options of a merged conf. */
unsigned http_dir_options(const struct http_dir_conf *dc);

/* ---- helpers (util.c) ------------------------------------------------------------------- */

int http_lower(int c);
int http_ieq(const char *a, size_t an, const char *b); /* a[0..an) equals b, ignoring case */
int http_is_tchar(int c);                              /* RFC 9110 token characters */
int http_hexval(int c);

/* A growing text buffer (status pages, listings). NULL p after an allocation failure. */
struct http_buf {
    char *p;
    size_t n, cap;
    int failed;
};
void http_buf_add(struct http_buf *b, const char *s, size_t n);
void http_buf_adds(struct http_buf *b, const char *s);
void http_buf_addf(struct http_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* HTML-escaped text. */
void http_buf_add_html(struct http_buf *b, const char *s);

/* ---- dates (dates.c) -------------------------------------------------------------------- */

/* FILETIME (100 ns since 1601 UTC) <-> Unix seconds. */
int64_t http_ft_to_unix(uint64_t ft);
uint64_t http_unix_to_ft(int64_t t);
uint64_t http_now_ft(void);
/* "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters + NUL). */
#define HTTP_DATE_LEN 30
void http_date_format(int64_t t, char out[HTTP_DATE_LEN]);
/* The three forms RFC 9110 5.6.7 requires recipients to accept (IMF-fixdate, rfc850, asctime).
 * 0 and *t, or -1. */
int http_date_parse(const char *s, size_t n, int64_t *t);
/* Broken-down UTC time. */
struct http_tm {
    int year, mon, mday, hour, min, sec, wday; /* mon 0..11, wday 0 = Sunday */
};
void http_gmtime(int64_t t, struct http_tm *tm);
int64_t http_timegm(const struct http_tm *tm);
/* The local UTC offset in seconds at time t (standard C localtime; cached for the last second
 * asked, so a DST change shows from its first second on). Thread-safe. */
long http_local_offset(int64_t t);
/* "[10/Oct/2000:13:55:36 -0700]" for %t (local time, like httpd). Returns the length. */
size_t http_clf_time(int64_t t, char *out, size_t size);

/* ---- pieces of the response ------------------------------------------------------------- */

/* mime.c: the Content-Type for a file name (AddType over TypesConfig), or default_type. */
const char *http_mime_type(const struct http_config *hc, const char *name);
/* Parse a mime.types text into sorted ext -> type pairs (test hook). 0 or -1. */
int http_mime_load_text(struct http_config *hc, const char *text, size_t len);
/* Read TypesConfig's file and build the table. 0, or -1 with a reason in why. */
int http_mime_load_file(struct http_config *hc, const char *path, char *why, size_t whylen);
void http_mime_free(struct http_config *hc);

/* files.c: decode the URL path (percent-decoding, dot segments, "//") into out ('/'-rooted).
 * 0, or the status to answer: 400 (bad escape, not starting with '/', ".." above the root), 404
 * (%00, %2F with AllowEncodedSlashes Off, '\\', ':', control characters, a segment ending in '.'
 * or ' '), 414 (does not fit out). */
int http_path_decode(const char *p, size_t n, int allow_encoded_slashes, char *out, size_t size);

/* An httpd-style "Index of" page for dir into b. 0, or -1. */
int http_listing(const char *dir, const char *url_path, struct http_buf *b);
/* links.c: whether path reaches its file or directory through a symbolic link, junction or other
 * reparse point below root (its first root_len bytes). opened: path opened already, or
 * INVALID_HANDLE_VALUE. */
int http_has_link_below(const char *path, size_t root_len, HANDLE opened);

/* conditional.c: RFC 9110 13.2.2 on a file with this ETag and mtime. 0 (proceed), 304 or 412. */
int http_conditional(const struct http_request *req, const char *etag, int64_t mtime);
/* Whether If-Range lets the Range apply (1) or the full representation must go (0). */
int http_if_range_ok(const struct http_request *req, const char *etag, int64_t mtime);
/* "\"<size hex>-<mtime usec hex>\"" per FileETag (httpd's form). Returns the length, 0: none. */
size_t http_etag_make(unsigned etag_flags, uint64_t size, uint64_t mtime_us, uint64_t inode,
                      char *out, size_t outsize);

/* range.c: a Range header against a representation of len bytes. httpd 2.4's limits: more
 * merged ranges than MaxRanges (default 200), or more overlaps / reversals than
 * MaxRangeOverlaps / MaxRangeReversals (default 20), and the whole representation is served
 * instead. */
#define HTTP_MAX_RANGES 200
#define HTTP_MAX_RANGE_OVERLAPS 20
#define HTTP_MAX_RANGE_REVERSALS 20
struct http_range {
    uint64_t first, count;
};
/* The limits in effect: counts, or -1 for no limit. */
struct http_range_limits {
    long ranges, overlaps, reversals;
};
/* The limits a directory's settings give (defaults where unset); ranges is 0 for MaxRanges none
 * (Range headers ignored). */
struct http_range_limits http_range_limits_of(const struct http_dir_conf *dc);
/* An upper bound on the ranges a Range value can yield (its comma-separated specs). */
size_t http_range_count_max(struct http_str range);
enum http_range_kind {
    HTTP_RANGE_NONE,          /* absent, not "bytes=", unparseable or over a limit: 200 whole */
    HTTP_RANGE_SINGLE,        /* one satisfiable range (after merging): 206 out[0] */
    HTTP_RANGE_MULTI,         /* several: 206 multipart/byteranges of out[0..*n), in order */
    HTTP_RANGE_UNSATISFIABLE, /* 416 with Content-Range: bytes * / len */
};
/* out has room for max ranges (more merged ranges are HTTP_RANGE_NONE); lim NULL: httpd's
 * defaults. */
enum http_range_kind http_range_parse(struct http_str range, uint64_t len, struct http_range *out,
                                      size_t max, size_t *n, const struct http_range_limits *lim);

/* byteranges.c: a multipart/byteranges body, httpd's shape: for each range "\r\n--boundary\r\n"
 * "Content-Type: type\r\n" (when type != NULL) "Content-Range: bytes a-b/len\r\n\r\n" and its
 * bytes, then "\r\n--boundary--\r\n". */
#define HTTP_BOUNDARY_MAX 40
/* A boundary unique enough for the process (httpd's: the request time and the pid, in hex). */
void http_byteranges_boundary(char out[HTTP_BOUNDARY_MAX]);
/* The body's length (the Content-Length). */
uint64_t http_byteranges_length(const struct http_range *r, size_t n, uint64_t len,
                                const char *type, const char *boundary);
/* The plan's parts and tail for that body, after its head is complete (parts[0].head starts
 * with a copy of it). 0, or -1 (out of memory). */
int http_byteranges_plan(struct http_plan *pl, const struct http_range *r, size_t n, uint64_t len,
                         const char *type, const char *boundary);

/* status.c: the server-status page (html) or ?auto text into b. */
void http_status_render(const struct http_config *hc, const struct http_status_snapshot *snap,
                        int autoformat, const struct server_config *conf, struct http_buf *b);

/* response.c: reason phrase; the Server header's value per ServerTokens. */
const char *http_reason(int status);
const char *http_server_banner(enum http_tokens tokens);

/* logformat.c */
int http_log_compile(const char *format, struct http_log_format *out);
void http_log_format_free(struct http_log_format *f);
/* Format one line (with '\n') into out; returns its length (truncated to size - 1). */
size_t http_log_line(const struct http_log_format *f, const struct http_request *req,
                     const struct http_plan *plan, const struct http_env *env,
                     const struct http_timing *timing, char *out, size_t size);

#endif
