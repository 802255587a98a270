#ifndef TIDELINE_CLIBXML2_H
#define TIDELINE_CLIBXML2_H
#include <libxml/xmlversion.h>
/* libxml2 built with ICU pulls the system's ICU headers into this module, and they clash with
   the ICU that Foundation carries. Tideline uses no libxml2 encoding API (text reaches libxml2 as
   UTF-8), so hide ICU from the headers. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/globals.h>

/* libxml2's xmlFree is a global function-pointer variable: Swift 6 sees shared mutable state in
   every use. Calling it through a function keeps that out of Swift. */
static inline void tideline_xml_free(void *p) { xmlFree(p); }
#endif
