// SPDX-License-Identifier: MIT
// Names for the error codes of lib/err.h.
#include <lib/err.h>

const char *err_name(err_t err)
{
	switch (err) {
#define ERR_CASE(name, val, str)                                               \
	case name: return #name " (" str ")";
		ERR_LIST(ERR_CASE)
#undef ERR_CASE
	}
	return "unknown error";
}
