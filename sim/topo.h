// SPDX-License-Identifier: MIT
// The simulator's topology inputs (sim/topo.c): builds topology/'s model
// from an ACPI table directory, an hwloc XML file or an hwloc synthetic
// description. 0, or -1 with err filled (the input named, what was wrong).
#pragma once

#include <stddef.h>

int sim_topo_load(const char *spec, const char *distances, char *err,
                  size_t errlen);
// The same from an hwloc XML document in memory (the fuzz target).
int sim_topo_load_xml_buffer(const char *buf, size_t len, const char *distances,
                             char *err, size_t errlen);
// Frees the tables an ACPI load registered (the model stays built).
void sim_topo_release(void);
