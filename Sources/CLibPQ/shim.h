#ifndef TIDELINE_CLIBPQ_H
#define TIDELINE_CLIBPQ_H
#include <libpq-fe.h>
#endif
