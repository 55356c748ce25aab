// SPDX-License-Identifier: MIT
// Boot-time AML: the kernel's interpreter context over the firmware's
// DSDT and SSDTs (acpi/aml_boot.c).
#pragma once

#include <acpi/aml/aml.h>
#include <lib/types.h>

// Creates the interpreter, loads the DSDT and SSDTs, attaches the ECDT's EC,
// initialises the namespace and prints
//   loaded N AML blobs, X ops in Y ms (avg Z/s)
//   namespace initialization done in Y ms: D devices, T thermal zones
// With dump, prints the whole namespace. Needs the heap. Firmware errors
// are reported and tolerated; an error return means no interpreter.
__must_check err_t acpi_aml_boot(bool dump);

// The kernel's host interface (acpi/aml/host.h), for tests that run their
// own interpreter context on kernel services.
const struct aml_host *acpi_aml_host(void);
// Fills h's sync hooks (AML Mutex / Event) with the kernel's sleeping
// mutex and semaphore once threads can sleep (lib/wait.h); else leaves
// them NULL (the interpreter's stand-in: host programs, early boot).
void acpi_aml_sync_hooks(struct aml_host *h);

// The kernel's interpreter, NULL before acpi_aml_boot() (or if it failed).
struct aml_ctx *acpi_aml(void);
// The Embedded Controller attached at boot (ECDT or PNP0C09), or NULL.
struct aml_ec *acpi_aml_ec(void);

// PCI configuration access (ECAM from the MCFG, else 0xCF8/0xCFC).
__must_check err_t acpi_pci_rw(uint16_t seg, uint8_t bus, uint8_t dev,
                               uint8_t fn, uint16_t off, unsigned width,
                               uint64_t *v, bool write);

// A kernel address for a physical register or memory location of width
// bytes (not crossing a page): the direct map where it maps the page, else
// an ioremap window (cached). NULL if it cannot be mapped.
volatile void *acpi_phys_map(paddr_t pa, unsigned width);
