// SPDX-License-Identifier: MIT
// Host stand-in: nothing inline for hal/serial.h (tests/host/hal/serial.c).
#pragma once
