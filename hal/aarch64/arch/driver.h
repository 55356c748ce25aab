// SPDX-License-Identifier: MIT
// aarch64: nothing inline for hal/driver.h.
#pragma once
