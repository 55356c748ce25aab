// SPDX-License-Identifier: MIT
// aarch64: nothing inline for hal/serial.h.
#pragma once
