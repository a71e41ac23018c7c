// Metadata of the exported document: Source-ROM-SHA1 from the sequence's
// sha1 (or the option when it has none), Card-SKU from the option or the
// sequence name, Generated from the option or the clock, and the choice of
// sequence in a module holding several.
// RUN: gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c --initseq-json-generated=2024-05-01T12:00:00+02:00 %s | FileCheck %s --check-prefix=DERIVED
// RUN: gpuinit-translate --export-initseq-json --initseq-json-sequence=a.b-c --initseq-json-card-sku=P2004_A1 --initseq-json-copyright="2023 ACME" --initseq-json-rom-url=file:///roms/a.rom --initseq-json-pipeline-version=12.34 --initseq-json-generated=2024-05-01T12:00:00Z %s | FileCheck %s --check-prefix=OPTIONS
// RUN: gpuinit-translate --export-initseq-json --initseq-json-sequence=@nosha --initseq-json-rom-sha1=fedcba9876543210fedcba9876543210fedcba98 --initseq-json-generated=2024-05-01T12:00:00Z %s | FileCheck %s --check-prefix=SHAOPT
// RUN: gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c %s | FileCheck %s --check-prefix=NOW
// RUN: not gpuinit-translate --export-initseq-json %s 2>&1 | FileCheck %s --check-prefix=SEVERAL
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@missing %s 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c --initseq-json-rom-sha1=fedcba9876543210fedcba9876543210fedcba98 %s 2>&1 | FileCheck %s --check-prefix=CONFLICT
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c --initseq-json-generated=yesterday %s 2>&1 | FileCheck %s --check-prefix=BADGEN
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c --initseq-json-card-sku=a-b %s 2>&1 | FileCheck %s --check-prefix=BADSKU
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@a.b-c --initseq-json-pipeline-version=1 %s 2>&1 | FileCheck %s --check-prefix=BADPV
// RUN: not gpuinit-translate --export-initseq-json --initseq-json-sequence=@nosha --initseq-json-rom-sha1=XYZ %s 2>&1 | FileCheck %s --check-prefix=BADSHA

// DERIVED:      "SPDX-FileCopyrightText": "2024 The gpuinit authors",
// DERIVED-NEXT: "SPDX-License-Identifier": "CC0-1.0",
// DERIVED-NEXT: "Source-ROM-SHA1": "0123456789abcdef0123456789abcdef01234567",
// DERIVED-NEXT: "Generated": "2024-05-01T12:00:00+02:00",
// DERIVED-NEXT: "Pipeline-Version": "0.1",
// DERIVED-NEXT: "Card-SKU": "a_b_c"

// OPTIONS:      "SPDX-FileCopyrightText": "2023 ACME",
// OPTIONS-NEXT: "SPDX-License-Identifier": "CC0-1.0",
// OPTIONS-NEXT: "Source-ROM-SHA1": "0123456789abcdef0123456789abcdef01234567",
// OPTIONS-NEXT: "Source-ROM-URL": "file:///roms/a.rom",
// OPTIONS-NEXT: "Generated": "2024-05-01T12:00:00Z",
// OPTIONS-NEXT: "Pipeline-Version": "12.34",
// OPTIONS-NEXT: "Card-SKU": "P2004_A1"

// SHAOPT: "Source-ROM-SHA1": "fedcba9876543210fedcba9876543210fedcba98",
// SHAOPT: "Card-SKU": "nosha"

// NOW: "Generated": "{{[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z}}",

// SEVERAL: error: several initseq.sequence ops (2); choose one with --initseq-json-sequence=@name: @a.b-c @nosha
// MISSING: error: no initseq.sequence named @missing
// CONFLICT: error: sequence @a.b-c has sha1 "0123456789abcdef0123456789abcdef01234567" but --initseq-json-rom-sha1 gives "fedcba9876543210fedcba9876543210fedcba98"
// BADGEN: error: --initseq-json-generated "yesterday" is not an RFC 3339 date-time (e.g. 2024-05-01T12:00:00Z)
// BADSKU: error: Card-SKU "a-b" does not match [A-Za-z0-9_]+
// BADPV: error: Pipeline-Version "1" is not "<major>.<minor>"
// BADSHA: error: --initseq-json-rom-sha1 "XYZ" is not 40 lowercase hex digits

initseq.sequence @"a.b-c" sha1 "0123456789abcdef0123456789abcdef01234567" {
  initseq.write cfg[0x4] : i32 = 0x6
}

initseq.sequence @nosha {
  initseq.write cfg[0x4] : i32 = 0x6
}
