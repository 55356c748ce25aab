// SPDX-License-Identifier: MIT
// The HAL driver table (hal/driver.h) as the running kernel bound it: on
// every supported board (the QEMU matrix) each class has a driver of that
// class, and CPU start has one whenever another CPU came up. In-kernel
// only (the host has no HAL drivers).
#include <hal/driver.h>
#include <kernel/percpu.h>
#include <tests/ktest.h>

KTEST(hal_driver, every_class_bound_on_this_board)
{
	static const enum hal_drv_class need[] = {HAL_DRV_INTC, HAL_DRV_SERIAL,
	                                          HAL_DRV_POWER};

	for (unsigned i = 0; i < ARRAY_SIZE(need); i++) {
		const struct hal_driver *d = hal_driver_bound(need[i]);

		KT_ASSERT(d != NULL);
		KT_EXPECT_EQ(d->cls, need[i]);
		KT_EXPECT(d->name && d->name[0]);
	}
	if (cpu_count > 1) {
		const struct hal_driver *d =
		    hal_driver_bound(HAL_DRV_CPU_START);

		KT_ASSERT(d != NULL);
		KT_EXPECT_EQ(d->cls, HAL_DRV_CPU_START);
	}
	KT_EXPECT(hal_driver_bound(HAL_DRV_NR) == NULL);
}
