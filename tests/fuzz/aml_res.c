// SPDX-License-Identifier: MIT
// libFuzzer target: the input is a resource template (_CRS buffer). Every
// descriptor is decoded and formatted until the End Tag or an error;
// nothing may read outside the input.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/aml/aml.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	// A copy of exactly `size` bytes, so ASan sees any overrun.
	uint8_t *b = malloc(size ? size : 1);
	struct aml_resource r;
	char line[256];
	size_t off = 0;
	unsigned i;

	if (!b)
		return 0;
	memcpy(b, data, size);
	while (!aml_res_next(b, size, &off, &r)) {
		aml_res_format(&r, line, sizeof(line));
		if (r.type == AML_RES_GPIO)
			for (i = 0; i < r.gpio.npins; i++)
				(void)aml_res_gpio_pin(&r, i);
		if (r.source)
			(void)strlen(r.source);
	}
	free(b);
	return 0;
}
