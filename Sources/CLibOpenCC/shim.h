// OpenCC's C API only (opencc.h); its C++ headers stay out of the module.
#include <opencc/opencc.h>
