// SPDX-License-Identifier: MIT
// Binding HAL drivers from an arch's table (hal/driver.h): the loops both
// arches share, so each arch's table is matched and logged the same way.
#pragma once

#include <hal/driver.h>

// Calls d's probe and logs "driver: NAME bound to WHAT [CLASS]" or
// "driver: NAME not bound: WHAT (ERROR) [CLASS]". d on success, NULL on
// failure.
const struct hal_driver *driver_probe(const struct hal_driver *d,
                                      const void *fdt, int node);

// Binds class cls from the ACPI tables: the entries of the class whose
// table the firmware handed over, in table order, then the fallbacks
// (entries naming neither a table nor a device-tree string); the first
// whose probe succeeds wins. Logs one line per entry probed, and
// "driver: no CLASS: ..." when nothing bound. table ends with a NULL name.
const struct hal_driver *driver_bind_acpi(const struct hal_driver *table,
                                          enum hal_drv_class cls);

// The device-tree strings of class cls's entries in table order: known[i]
// is matched by map[i]; known[n] is NULL. At most max - 1 strings (a
// table with more says so once). Returns n.
unsigned driver_dt_strings(const struct hal_driver *table,
                           enum hal_drv_class cls, const char **known,
                           const struct hal_driver **map, unsigned max);
