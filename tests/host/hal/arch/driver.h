// SPDX-License-Identifier: MIT
// Host stand-in: nothing arch-specific.
#pragma once
