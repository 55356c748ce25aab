// SPDX-License-Identifier: MIT
// x86_64: nothing inline for hal/driver.h.
#pragma once
