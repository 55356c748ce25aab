// SPDX-License-Identifier: MIT
// aarch64: nothing inline for hal/early.h.
#pragma once
