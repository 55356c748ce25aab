// SPDX-License-Identifier: MIT
// _OSI: the interface strings Cairn answers "supported" to. Firmware tests
// for Windows versions to pick its code paths, and the well-tested paths are
// the newest Windows ones, so like Linux we claim every Windows release and
// the feature strings Windows claims, and no "Linux" or "Darwin".
//
// No state, no locking.
#include <string.h>
#include <acpi/aml/internal.h>

static const char *const aml_osi_strings[] = {
    "Windows 2000",
    "Windows 2001",
    "Windows 2001 SP1",
    "Windows 2001.1",
    "Windows 2001 SP2",
    "Windows 2001.1 SP1",
    "Windows 2006",
    "Windows 2006.1",
    "Windows 2006 SP1",
    "Windows 2006 SP2",
    "Windows 2009",
    "Windows 2012",
    "Windows 2013",
    "Windows 2015",
    "Windows 2016",
    "Windows 2017",
    "Windows 2017.2",
    "Windows 2018",
    "Windows 2018.2",
    "Windows 2019",
    "Windows 2020",
    "Windows 2021",
    "Windows 2022",
    "Module Device",
    "Processor Device",
    "3.0 Thermal Model",
    "3.0 _SCP Extensions",
    "Processor Aggregator Device",
    "Extended Address Space Descriptor",
};

bool aml_osi_supported(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aml_osi_strings); i++)
		if (strlen(aml_osi_strings[i]) == len &&
		    !memcmp(aml_osi_strings[i], s, len))
			return true;
	return false;
}
