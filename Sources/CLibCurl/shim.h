#ifndef TIDELINE_CLIBCURL_H
#define TIDELINE_CLIBCURL_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
   wrapper per kind of argument. */
static inline CURLcode tideline_curl_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode tideline_curl_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode tideline_curl_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode tideline_curl_list(CURL *c, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode tideline_curl_large(CURL *c, CURLoption o, curl_off_t v) { return curl_easy_setopt(c, o, v); }
typedef size_t (*tideline_curl_callback)(char *, size_t, size_t, void *);
static inline CURLcode tideline_curl_callback_set(CURL *c, CURLoption o, tideline_curl_callback f) { return curl_easy_setopt(c, o, f); }
static inline CURLcode tideline_curl_response_code(CURL *c, long *v) { return curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, v); }
#endif
