// SPDX-License-Identifier: MIT
// Error codes. err_t is an int: 0 is success, every failure is one of the
// negative codes below. err_name() turns a code into a stable string for logs.
#pragma once

#include <lib/types.h>

#define ERR_LIST(X)                                                            \
	X(E_OK, 0, "ok")                                                       \
	X(E_NOMEM, -1, "out of memory")                                        \
	X(E_INVAL, -2, "invalid argument")                                     \
	X(E_NOENT, -3, "not found")                                            \
	X(E_EXIST, -4, "already exists")                                       \
	X(E_RANGE, -5, "out of range")                                         \
	X(E_CORRUPT, -6, "malformed input")                                    \
	X(E_CHECKSUM, -7, "bad checksum")                                      \
	X(E_NOTSUP, -8, "not supported")                                       \
	X(E_BUSY, -9, "busy")                                                  \
	X(E_TIMEOUT, -10, "timed out")                                         \
	X(E_TRUNC, -11, "truncated")                                           \
	X(E_IO, -12, "i/o error")                                              \
	X(E_AGAIN, -13, "try again")                                           \
	X(E_FAULT, -14, "bad address")                                         \
	X(E_NOSPC, -15, "no space")                                            \
	X(E_ABORT, -16, "aborted")                                             \
	X(E_NODEV, -17, "no such device")                                      \
	X(E_DEPTH, -18, "nested too deep")

enum {
#define ERR_ENUM(name, val, str) name = (val),
	ERR_LIST(ERR_ENUM)
#undef ERR_ENUM
};

// Returns a constant string describing err; never NULL.
const char *err_name(err_t err);
