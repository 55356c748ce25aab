// SPDX-License-Identifier: MIT
// aarch64: nothing inline for hal/power.h.
#pragma once
