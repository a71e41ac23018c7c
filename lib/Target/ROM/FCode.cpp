//===- FCode.cpp - Open Firmware FCode importer ---------------------------===//
//
// Decodes the FCode program of an Open Firmware image (code type 1,
// shared/specs/fcode.md) and evaluates its top-level code symbolically to
// extract register writes, config-space accesses and delays (docs/ROM.md).
//
//===----------------------------------------------------------------------===//
//
// Two passes:
//
// 1. Decode: the whole token stream, from the 8-byte header to end0/end1 or
//    the header's length, into tokens with their inline operands. Colon
//    bodies, definitions (new-token/named-token/external-token + defining
//    word) and branch targets are checked here, so that a malformed program
//    is rejected with a located error before anything is evaluated.
// 2. Evaluate: the top-level code, as an FCode evaluator with 32-bit cells
//    would run it when the device is probed, with a data stack of known
//    numbers and symbolic values (map-in results, my-space, string literals,
//    values read from the device). Device accesses become initseq ops; what
//    depends on values the importer cannot know becomes `initseq.opaque`;
//    a branch, loop or call whose outcome is unknown stops the evaluation
//    with an opaque marker (a warning says so).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Target/ROMImport.h"

#include "gpuinit/Dialect/InitSeq/IR/InitSeq.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;
using namespace gpuinit;
using namespace gpuinit::rom;
using llvm::formatv;

namespace {

//===----------------------------------------------------------------------===//
// Standard token numbers and names (IEEE 1275 and its 64-bit addendum)
//===----------------------------------------------------------------------===//

/// One standard ("system") FCode token.
struct StandardToken {
  uint16_t number;
  const char *name;
};

/// Every standard token number with a name, sorted by number. A number below
/// 0x800 that is not listed is reserved: the decoder rejects it.
constexpr StandardToken kStandardTokens[] = {
    {0x000, "end0"},
    {0x010, "b(lit)"},
    {0x011, "b(')"},
    {0x012, "b(\")"},
    {0x013, "bbranch"},
    {0x014, "b?branch"},
    {0x015, "b(loop)"},
    {0x016, "b(+loop)"},
    {0x017, "b(do)"},
    {0x018, "b(?do)"},
    {0x019, "i"},
    {0x01a, "j"},
    {0x01b, "b(leave)"},
    {0x01c, "b(of)"},
    {0x01d, "execute"},
    {0x01e, "+"},
    {0x01f, "-"},
    {0x020, "*"},
    {0x021, "/"},
    {0x022, "mod"},
    {0x023, "and"},
    {0x024, "or"},
    {0x025, "xor"},
    {0x026, "invert"},
    {0x027, "lshift"},
    {0x028, "rshift"},
    {0x029, ">>a"},
    {0x02a, "/mod"},
    {0x02b, "u/mod"},
    {0x02c, "negate"},
    {0x02d, "abs"},
    {0x02e, "min"},
    {0x02f, "max"},
    {0x030, ">r"},
    {0x031, "r>"},
    {0x032, "r@"},
    {0x033, "exit"},
    {0x034, "0="},
    {0x035, "0<>"},
    {0x036, "0<"},
    {0x037, "0<="},
    {0x038, "0>"},
    {0x039, "0>="},
    {0x03a, "<"},
    {0x03b, ">"},
    {0x03c, "="},
    {0x03d, "<>"},
    {0x03e, "u>"},
    {0x03f, "u<="},
    {0x040, "u<"},
    {0x041, "u>="},
    {0x042, ">="},
    {0x043, "<="},
    {0x044, "between"},
    {0x045, "within"},
    {0x046, "drop"},
    {0x047, "dup"},
    {0x048, "over"},
    {0x049, "swap"},
    {0x04a, "rot"},
    {0x04b, "-rot"},
    {0x04c, "tuck"},
    {0x04d, "nip"},
    {0x04e, "pick"},
    {0x04f, "roll"},
    {0x050, "?dup"},
    {0x051, "depth"},
    {0x052, "2drop"},
    {0x053, "2dup"},
    {0x054, "2over"},
    {0x055, "2swap"},
    {0x056, "2rot"},
    {0x057, "2/"},
    {0x058, "u2/"},
    {0x059, "2*"},
    {0x05a, "/c"},
    {0x05b, "/w"},
    {0x05c, "/l"},
    {0x05d, "/n"},
    {0x05e, "ca+"},
    {0x05f, "wa+"},
    {0x060, "la+"},
    {0x061, "na+"},
    {0x062, "char+"},
    {0x063, "wa1+"},
    {0x064, "la1+"},
    {0x065, "cell+"},
    {0x066, "chars"},
    {0x067, "/w*"},
    {0x068, "/l*"},
    {0x069, "cells"},
    {0x06a, "on"},
    {0x06b, "off"},
    {0x06c, "+!"},
    {0x06d, "@"},
    {0x06e, "l@"},
    {0x06f, "w@"},
    {0x070, "<w@"},
    {0x071, "c@"},
    {0x072, "!"},
    {0x073, "l!"},
    {0x074, "w!"},
    {0x075, "c!"},
    {0x076, "2@"},
    {0x077, "2!"},
    {0x078, "move"},
    {0x079, "fill"},
    {0x07a, "comp"},
    {0x07b, "noop"},
    {0x07c, "lwsplit"},
    {0x07d, "wljoin"},
    {0x07e, "lbsplit"},
    {0x07f, "bljoin"},
    {0x080, "wbflip"},
    {0x081, "upc"},
    {0x082, "lcc"},
    {0x083, "pack"},
    {0x084, "count"},
    {0x085, "body>"},
    {0x086, ">body"},
    {0x087, "fcode-revision"},
    {0x088, "span"},
    {0x089, "unloop"},
    {0x08a, "expect"},
    {0x08b, "alloc-mem"},
    {0x08c, "free-mem"},
    {0x08d, "key?"},
    {0x08e, "key"},
    {0x08f, "emit"},
    {0x090, "type"},
    {0x091, "(cr"},
    {0x092, "cr"},
    {0x093, "#out"},
    {0x094, "#line"},
    {0x095, "hold"},
    {0x096, "<#"},
    {0x097, "u#>"},
    {0x098, "sign"},
    {0x099, "u#"},
    {0x09a, "u#s"},
    {0x09b, "u."},
    {0x09c, "u.r"},
    {0x09d, "."},
    {0x09e, ".r"},
    {0x09f, ".s"},
    {0x0a0, "base"},
    {0x0a1, "convert"},
    {0x0a2, "$number"},
    {0x0a3, "digit"},
    {0x0a4, "-1"},
    {0x0a5, "0"},
    {0x0a6, "1"},
    {0x0a7, "2"},
    {0x0a8, "3"},
    {0x0a9, "bl"},
    {0x0aa, "bs"},
    {0x0ab, "bell"},
    {0x0ac, "bounds"},
    {0x0ad, "here"},
    {0x0ae, "aligned"},
    {0x0af, "wbsplit"},
    {0x0b0, "bwjoin"},
    {0x0b1, "b(<mark)"},
    {0x0b2, "b(>resolve)"},
    {0x0b3, "set-token-table"},
    {0x0b4, "set-table"},
    {0x0b5, "new-token"},
    {0x0b6, "named-token"},
    {0x0b7, "b(:)"},
    {0x0b8, "b(value)"},
    {0x0b9, "b(variable)"},
    {0x0ba, "b(constant)"},
    {0x0bb, "b(create)"},
    {0x0bc, "b(defer)"},
    {0x0bd, "b(buffer:)"},
    {0x0be, "b(field)"},
    {0x0bf, "b(code)"},
    {0x0c0, "instance"},
    {0x0c2, "b(;)"},
    {0x0c3, "b(to)"},
    {0x0c4, "b(case)"},
    {0x0c5, "b(endcase)"},
    {0x0c6, "b(endof)"},
    {0x0c7, "#"},
    {0x0c8, "#s"},
    {0x0c9, "#>"},
    {0x0ca, "external-token"},
    {0x0cb, "$find"},
    {0x0cc, "offset16"},
    {0x0cd, "evaluate"},
    {0x0d0, "c,"},
    {0x0d1, "w,"},
    {0x0d2, "l,"},
    {0x0d3, ","},
    {0x0d4, "um*"},
    {0x0d5, "um/mod"},
    {0x0d8, "d+"},
    {0x0d9, "d-"},
    {0x0da, "get-token"},
    {0x0db, "set-token"},
    {0x0dc, "state"},
    {0x0dd, "compile,"},
    {0x0de, "behavior"},
    {0x0f0, "start0"},
    {0x0f1, "start1"},
    {0x0f2, "start2"},
    {0x0f3, "start4"},
    {0x0fc, "ferror"},
    {0x0fd, "version1"},
    {0x0fe, "4-byte-id"},
    {0x0ff, "end1"},
    {0x101, "dma-alloc"},
    {0x102, "my-address"},
    {0x103, "my-space"},
    {0x104, "memmap"},
    {0x105, "free-virtual"},
    {0x106, ">physical"},
    {0x10f, "my-params"},
    {0x110, "property"},
    {0x111, "encode-int"},
    {0x112, "encode+"},
    {0x113, "encode-phys"},
    {0x114, "encode-string"},
    {0x115, "encode-bytes"},
    {0x116, "reg"},
    {0x117, "intr"},
    {0x118, "driver"},
    {0x119, "model"},
    {0x11a, "device-type"},
    {0x11b, "parse-2int"},
    {0x11c, "is-install"},
    {0x11d, "is-remove"},
    {0x11e, "is-selftest"},
    {0x11f, "new-device"},
    {0x120, "diagnostic-mode?"},
    {0x121, "display-status"},
    {0x122, "memory-test-issue"},
    {0x123, "group-code"},
    {0x124, "mask"},
    {0x125, "get-msecs"},
    {0x126, "ms"},
    {0x127, "finish-device"},
    {0x128, "decode-phys"},
    {0x12b, "interpose"},
    {0x130, "map-low"},
    {0x131, "sbus-intr>cpu"},
    {0x150, "#lines"},
    {0x151, "#columns"},
    {0x152, "line#"},
    {0x153, "column#"},
    {0x154, "inverse?"},
    {0x155, "inverse-screen?"},
    {0x156, "frame-buffer-busy?"},
    {0x157, "draw-character"},
    {0x158, "reset-screen"},
    {0x159, "toggle-cursor"},
    {0x15a, "erase-screen"},
    {0x15b, "blink-screen"},
    {0x15c, "invert-screen"},
    {0x15d, "insert-characters"},
    {0x15e, "delete-characters"},
    {0x15f, "insert-lines"},
    {0x160, "delete-lines"},
    {0x161, "draw-logo"},
    {0x162, "frame-buffer-adr"},
    {0x163, "screen-height"},
    {0x164, "screen-width"},
    {0x165, "window-top"},
    {0x166, "window-left"},
    {0x16a, "default-font"},
    {0x16b, "set-font"},
    {0x16c, "char-height"},
    {0x16d, "char-width"},
    {0x16e, ">font"},
    {0x16f, "fontbytes"},
    {0x170, "fb1-draw-character"},
    {0x171, "fb1-reset-screen"},
    {0x172, "fb1-toggle-cursor"},
    {0x173, "fb1-erase-screen"},
    {0x174, "fb1-blink-screen"},
    {0x175, "fb1-invert-screen"},
    {0x176, "fb1-insert-characters"},
    {0x177, "fb1-delete-characters"},
    {0x178, "fb1-insert-lines"},
    {0x179, "fb1-delete-lines"},
    {0x17a, "fb1-draw-logo"},
    {0x17b, "fb1-install"},
    {0x17c, "fb1-slide-up"},
    {0x180, "fb8-draw-character"},
    {0x181, "fb8-reset-screen"},
    {0x182, "fb8-toggle-cursor"},
    {0x183, "fb8-erase-screen"},
    {0x184, "fb8-blink-screen"},
    {0x185, "fb8-invert-screen"},
    {0x186, "fb8-insert-characters"},
    {0x187, "fb8-delete-characters"},
    {0x188, "fb8-insert-lines"},
    {0x189, "fb8-delete-lines"},
    {0x18a, "fb8-draw-logo"},
    {0x18b, "fb8-install"},
    {0x1a0, "return-buffer"},
    {0x1a1, "xmit-packet"},
    {0x1a2, "poll-packet"},
    {0x1a4, "mac-address"},
    {0x201, "device-name"},
    {0x202, "my-args"},
    {0x203, "my-self"},
    {0x204, "find-package"},
    {0x205, "open-package"},
    {0x206, "close-package"},
    {0x207, "find-method"},
    {0x208, "call-package"},
    {0x209, "$call-parent"},
    {0x20a, "my-parent"},
    {0x20b, "ihandle>phandle"},
    {0x20d, "my-unit"},
    {0x20e, "$call-method"},
    {0x20f, "$open-package"},
    {0x210, "processor-type"},
    {0x211, "firmware-version"},
    {0x212, "fcode-version"},
    {0x213, "alarm"},
    {0x214, "(is-user-word)"},
    {0x215, "suspend-fcode"},
    {0x216, "abort"},
    {0x217, "catch"},
    {0x218, "throw"},
    {0x219, "user-abort"},
    {0x21a, "get-my-property"},
    {0x21b, "decode-int"},
    {0x21c, "decode-string"},
    {0x21d, "get-inherited-property"},
    {0x21e, "delete-property"},
    {0x21f, "get-package-property"},
    {0x220, "cpeek"},
    {0x221, "wpeek"},
    {0x222, "lpeek"},
    {0x223, "cpoke"},
    {0x224, "wpoke"},
    {0x225, "lpoke"},
    {0x226, "lwflip"},
    {0x227, "lbflip"},
    {0x228, "lbflips"},
    {0x229, "adr-mask"},
    {0x22e, "rx@"},
    {0x22f, "rx!"},
    {0x230, "rb@"},
    {0x231, "rb!"},
    {0x232, "rw@"},
    {0x233, "rw!"},
    {0x234, "rl@"},
    {0x235, "rl!"},
    {0x236, "wbflips"},
    {0x237, "lwflips"},
    {0x238, "probe"},
    {0x239, "probe-virtual"},
    {0x23b, "child"},
    {0x23c, "peer"},
    {0x23d, "next-property"},
    {0x23e, "byte-load"},
    {0x23f, "set-args"},
    {0x240, "left-parse-string"},
    {0x241, "bxjoin"},
    {0x242, "<l@"},
    {0x243, "lxjoin"},
    {0x244, "wxjoin"},
    {0x245, "x,"},
    {0x246, "x@"},
    {0x247, "x!"},
    {0x248, "/x"},
    {0x249, "/x*"},
    {0x24a, "xa+"},
    {0x24b, "xa1+"},
    {0x24c, "xbflip"},
    {0x24d, "xbflips"},
    {0x24e, "xbsplit"},
    {0x24f, "xlflip"},
    {0x250, "xlflips"},
    {0x251, "xlsplit"},
    {0x252, "xwflip"},
    {0x253, "xwflips"},
    {0x254, "xwsplit"},
};

/// The name of a standard token, or null for a reserved number.
const char *standardName(uint16_t number) {
  const StandardToken *it =
      llvm::partition_point(kStandardTokens, [&](const StandardToken &t) {
        return t.number < number;
      });
  if (it == std::end(kStandardTokens) || it->number != number)
    return nullptr;
  return it->name;
}

/// Token numbers the decoder or the evaluator handles by number.
enum Tok : uint16_t {
  TEnd0 = 0x00,
  TLit = 0x10,
  TTick = 0x11,
  TString = 0x12,
  TBranch = 0x13,
  TQBranch = 0x14,
  TLoop = 0x15,
  TPlusLoop = 0x16,
  TDo = 0x17,
  TQDo = 0x18,
  TI = 0x19,
  TJ = 0x1a,
  TLeave = 0x1b,
  TOf = 0x1c,
  TExecute = 0x1d,
  TPlus = 0x1e,
  TMinus = 0x1f,
  TMul = 0x20,
  TDiv = 0x21,
  TMod = 0x22,
  TAnd = 0x23,
  TOr = 0x24,
  TXor = 0x25,
  TInvert = 0x26,
  TLshift = 0x27,
  TRshift = 0x28,
  TArshift = 0x29,
  TSlashMod = 0x2a,
  TUSlashMod = 0x2b,
  TNegate = 0x2c,
  TAbs = 0x2d,
  TMin = 0x2e,
  TMax = 0x2f,
  TToR = 0x30,
  TRFrom = 0x31,
  TRFetch = 0x32,
  TExit = 0x33,
  TZeroEq = 0x34,
  TZeroNe = 0x35,
  TZeroLt = 0x36,
  TZeroLe = 0x37,
  TZeroGt = 0x38,
  TZeroGe = 0x39,
  TLt = 0x3a,
  TGt = 0x3b,
  TEq = 0x3c,
  TNe = 0x3d,
  TUGt = 0x3e,
  TULe = 0x3f,
  TULt = 0x40,
  TUGe = 0x41,
  TGe = 0x42,
  TLe = 0x43,
  TBetween = 0x44,
  TWithin = 0x45,
  TDrop = 0x46,
  TDup = 0x47,
  TOver = 0x48,
  TSwap = 0x49,
  TRot = 0x4a,
  TMinusRot = 0x4b,
  TTuck = 0x4c,
  TNip = 0x4d,
  TPick = 0x4e,
  TRoll = 0x4f,
  TQDup = 0x50,
  TDepth = 0x51,
  T2Drop = 0x52,
  T2Dup = 0x53,
  T2Over = 0x54,
  T2Swap = 0x55,
  T2Rot = 0x56,
  T2Div = 0x57,
  TU2Div = 0x58,
  T2Mul = 0x59,
  TSlashC = 0x5a,
  TSlashW = 0x5b,
  TSlashL = 0x5c,
  TSlashN = 0x5d,
  TCaPlus = 0x5e,
  TWaPlus = 0x5f,
  TLaPlus = 0x60,
  TNaPlus = 0x61,
  TCharPlus = 0x62,
  TWa1Plus = 0x63,
  TLa1Plus = 0x64,
  TCellPlus = 0x65,
  TChars = 0x66,
  TSlashWMul = 0x67,
  TSlashLMul = 0x68,
  TCells = 0x69,
  TOn = 0x6a,
  TOff = 0x6b,
  TPlusStore = 0x6c,
  TFetch = 0x6d,
  TLFetch = 0x6e,
  TWFetch = 0x6f,
  TSWFetch = 0x70,
  TCFetch = 0x71,
  TStore = 0x72,
  TLStore = 0x73,
  TWStore = 0x74,
  TCStore = 0x75,
  TMove = 0x78,
  TFill = 0x79,
  TComp = 0x7a,
  TNoop = 0x7b,
  TLwsplit = 0x7c,
  TWljoin = 0x7d,
  TLbsplit = 0x7e,
  TBljoin = 0x7f,
  TWbflip = 0x80,
  TFcodeRevision = 0x87,
  TSpan = 0x88,
  TUnloop = 0x89,
  TAllocMem = 0x8b,
  TFreeMem = 0x8c,
  TEmit = 0x8f,
  TType = 0x90,
  TParenCr = 0x91,
  TCr = 0x92,
  TNumOut = 0x93,
  TNumLine = 0x94,
  TUDot = 0x9b,
  TUDotR = 0x9c,
  TDot = 0x9d,
  TDotR = 0x9e,
  TDotS = 0x9f,
  TBase = 0xa0,
  TMinusOne = 0xa4,
  TZero = 0xa5,
  TOne = 0xa6,
  TTwo = 0xa7,
  TThree = 0xa8,
  TBl = 0xa9,
  TBs = 0xaa,
  TBell = 0xab,
  TBounds = 0xac,
  THere = 0xad,
  TAligned = 0xae,
  TWbsplit = 0xaf,
  TBwjoin = 0xb0,
  TMark = 0xb1,
  TResolve = 0xb2,
  TNewToken = 0xb5,
  TNamedToken = 0xb6,
  TColon = 0xb7,
  TValue = 0xb8,
  TVariable = 0xb9,
  TConstant = 0xba,
  TCreate = 0xbb,
  TDefer = 0xbc,
  TBuffer = 0xbd,
  TField = 0xbe,
  TCode = 0xbf,
  TInstance = 0xc0,
  TSemicolon = 0xc2,
  TTo = 0xc3,
  TCase = 0xc4,
  TEndcase = 0xc5,
  TEndof = 0xc6,
  TExternalToken = 0xca,
  TOffset16 = 0xcc,
  TCComma = 0xd0,
  TWComma = 0xd1,
  TLComma = 0xd2,
  TComma = 0xd3,
  TState = 0xdc,
  TStart0 = 0xf0,
  TStart1 = 0xf1,
  TStart2 = 0xf2,
  TStart4 = 0xf3,
  TVersion1 = 0xfd,
  TFourByteId = 0xfe,
  TEnd1 = 0xff,
  TDmaAlloc = 0x101,
  TMyAddress = 0x102,
  TMySpace = 0x103,
  TProperty = 0x110,
  TEncodeInt = 0x111,
  TEncodePlus = 0x112,
  TEncodePhys = 0x113,
  TEncodeString = 0x114,
  TEncodeBytes = 0x115,
  TReg = 0x116,
  TModel = 0x119,
  TDeviceType = 0x11a,
  TIsInstall = 0x11c,
  TIsRemove = 0x11d,
  TIsSelftest = 0x11e,
  TNewDevice = 0x11f,
  TGetMsecs = 0x125,
  TMs = 0x126,
  TFinishDevice = 0x127,
  TMapLow = 0x130,
  TDeviceName = 0x201,
  TMyArgs = 0x202,
  TMySelf = 0x203,
  TCallParent = 0x209,
  TMyParent = 0x20a,
  TMyUnit = 0x20d,
  TCallMethod = 0x20e,
  TDecodeInt = 0x21b,
  TDecodeString = 0x21c,
  TDeleteProperty = 0x21e,
  TCpoke = 0x223,
  TWpoke = 0x224,
  TLpoke = 0x225,
  TLwflip = 0x226,
  TLbflip = 0x227,
  TLbflips = 0x228,
  TRxFetch = 0x22e,
  TRxStore = 0x22f,
  TRbFetch = 0x230,
  TRbStore = 0x231,
  TRwFetch = 0x232,
  TRwStore = 0x233,
  TRlFetch = 0x234,
  TRlStore = 0x235,
  TWbflips = 0x236,
  TLwflips = 0x237,
};

/// First program-defined token number.
constexpr uint16_t kFirstProgramToken = 0x800;
/// Most cells on the data stack or one definition's return stack.
constexpr size_t kMaxStack = 4096;
/// Longest string a note quotes.
constexpr size_t kMaxQuoted = 64;

bool isBranchToken(uint16_t n) {
  switch (n) {
  case TBranch:
  case TQBranch:
  case TLoop:
  case TPlusLoop:
  case TDo:
  case TQDo:
  case TOf:
  case TEndof:
    return true;
  default:
    return false;
  }
}

bool isDefiningWord(uint16_t n) {
  switch (n) {
  case TColon:
  case TValue:
  case TVariable:
  case TConstant:
  case TCreate:
  case TDefer:
  case TBuffer:
  case TField:
    return true;
  default:
    return false;
  }
}

bool isStartToken(uint8_t b) {
  return b == TStart0 || b == TStart1 || b == TStart2 || b == TStart4 ||
         b == TVersion1;
}

/// Tokens that only make sense at their place in the byte stream (inline
/// operands, control flow, definitions): `execute` of their execution token
/// is not modelled.
bool isStreamOnly(uint16_t n) {
  return isBranchToken(n) || isDefiningWord(n) || n == TLit || n == TTick ||
         n == TString || n == TTo || n == TNewToken || n == TNamedToken ||
         n == TExternalToken || n == TSemicolon || n == TExit || n == TLeave ||
         n == TOffset16 || n == TEnd0 || n == TEnd1 || n == TCase ||
         n == TEndcase || n == TCode || n == TFourByteId ||
         isStartToken(uint8_t(n));
}

std::string hex(uint64_t v) { return formatv("{0:x}", v).str(); }

std::string signedHex(int64_t v) {
  return v < 0 ? "-" + hex(uint64_t(0) - uint64_t(v)) : hex(uint64_t(v));
}

//===----------------------------------------------------------------------===//
// The decoded program
//===----------------------------------------------------------------------===//

/// One token of the stream with its inline operands.
struct Token {
  /// File offset of the token's first byte.
  uint64_t pos = 0;
  /// Bytes of the token and its inline operands.
  uint32_t size = 0;
  uint16_t number = 0;
  /// The colon definition whose body holds the token (its b(;) included),
  /// or -1 at top level.
  int32_t region = -1;
  /// A program-defined token: the definition it executes. A defining word:
  /// the definition it creates. b(') and b(to): the definition they name
  /// (-1 for a standard token).
  int32_t def = -1;
  /// b(') and b(to): the token number named.
  uint16_t ref = 0;
  /// b(lit): the number.
  uint32_t literal = 0;
  /// Branches: the target's file offset (decode) and token index (after).
  int64_t targetPos = 0;
  size_t target = 0;
  /// b("): file offset and length of the string.
  uint64_t strPos = 0;
  uint32_t strLen = 0;
};

enum class DefKind : uint8_t {
  Colon,
  Constant,
  Value,
  Variable,
  Defer,
  Buffer,
  Create,
  Field
};

/// A program-defined token's definition.
struct Definition {
  uint16_t number = 0;
  DefKind kind = DefKind::Colon;
  /// The named-token/external-token name (empty for new-token).
  std::string name;
  /// Index of the defining word's token.
  size_t token = 0;
  /// Colon definitions: index of the b(;).
  size_t end = 0;
};

//===----------------------------------------------------------------------===//
// Evaluator values
//===----------------------------------------------------------------------===//

enum class VK : uint8_t {
  /// A known 32-bit cell.
  Num,
  /// A cell whose value depends on the device or the firmware.
  Unknown,
  /// A virtual address inside a map-in mapping (`ref`), `off` bytes from
  /// the start of the BAR.
  Bar,
  /// The device's config address (my-space) with `num` ored in (never
  /// touching the bus/device/function bits 8..23).
  MySpace,
  /// The address of a string literal: `off` file offset, `num` length.
  Str,
  /// An execution token: standard token `num` (`ref` -1) or definition
  /// `ref`.
  Xt,
  /// An address of firmware memory whose contents are not tracked (buffer:,
  /// create, alloc-mem, dma-alloc, system variables).
  Mem,
  /// `off` bytes into the cell of variable definition `ref`.
  Var,
};

/// A cell of the data stack (and of values/variables/constants).
struct Value {
  VK kind = VK::Num;
  uint32_t num = 0;
  int64_t off = 0;
  int32_t ref = -1;
  /// Unknown: the token that produced it (for messages).
  StringRef originName;
  uint64_t originPos = 0;
  /// Unknown with `ref` >= 0: the value is (R & andMask) | orMask, R being
  /// what read `ref` returned (zero-extended).
  uint32_t andMask = 0, orMask = 0;
};

Value number(uint32_t v) {
  Value r;
  r.num = v;
  return r;
}

Value flag(bool b) { return number(b ? 0xffffffffu : 0); }

/// A map-in result.
struct Mapping {
  enum Space : uint8_t { Memory, IO, ROM } space = Memory;
  unsigned bar = 0;
  /// Bytes [base, limit) of the BAR are mapped.
  int64_t base = 0, limit = 0;
  bool mapped = true;
};

/// A register read whose result may still turn into an initseq.rmw.
struct ReadRecord {
  Operation *op = nullptr;
  initseq::RegAttr location;
  unsigned bits = 0;
  bool live = true;
};

/// One running colon definition (or the top level, def -1).
struct Frame {
  int32_t def = -1;
  size_t pc = 0;
  /// File offset of the token that called the definition.
  uint64_t callPos = 0;
  SmallVector<Value, 2> rstack;
  struct Loop {
    uint32_t index, limit;
    size_t exit;
  };
  SmallVector<Loop, 2> loops;
};

/// Per-definition evaluation state.
struct DefState {
  /// The defining word has been executed.
  bool defined = false;
  /// Constant/value: the value; variable: the cell; defer: the xt
  /// (`hasXt`); field: the offset.
  Value value;
  bool hasXt = false;
  /// Variables: the number of stores through unknown addresses before the
  /// last store to the cell.
  uint64_t epoch = 0;
};

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

class FCodeImporter {
public:
  explicit FCodeImporter(const ImageImportContext &ctx)
      : ctx(ctx), rom(ctx.rom), module(ctx.module),
        builder(module.getContext()) {
    builder.setInsertionPointToEnd(&scratch);
  }

  LogicalResult run();

private:
  // Header and decoding.
  LogicalResult findProgram();
  LogicalResult decode();
  LogicalResult resolveBranches();
  FailureOr<uint16_t> readTokenNumber(uint64_t &cur, uint64_t tokenPos,
                                      StringRef what);
  LogicalResult need(uint64_t &cur, uint64_t n, uint64_t tokenPos,
                     StringRef what);

  // Evaluation.
  LogicalResult evaluate();
  LogicalResult step(size_t index);
  LogicalResult dispatch(bool isDef, uint16_t number, int32_t def,
                         uint64_t pos);
  LogicalResult runDefinition(int32_t def, uint64_t pos);
  LogicalResult runStandard(uint16_t n, uint64_t pos);
  LogicalResult callParent(uint64_t pos);
  LogicalResult mapIn(uint64_t pos, StringRef kind);
  LogicalResult configAccess(uint64_t pos, StringRef kind, unsigned bytes,
                             bool isStore);
  LogicalResult store(uint64_t pos, StringRef name, const Value &address,
                      const Value &value, unsigned bytes, bool deviceOrder);
  LogicalResult load(uint64_t pos, StringRef name, const Value &address,
                     unsigned bytes, bool deviceOrder, bool signExtend);
  LogicalResult writeRegister(uint64_t pos, StringRef name,
                              initseq::RegAttr location, unsigned bits,
                              const Value &address, const Value &value);
  LogicalResult readRegister(uint64_t pos, StringRef name,
                             initseq::RegAttr location, unsigned bits,
                             bool symbolic);
  LogicalResult stop(uint64_t pos, StringRef kind, ArrayRef<Value> inputs,
                     const Twine &reason);
  LogicalResult opaque(uint64_t pos, StringRef kind, ArrayRef<Value> inputs);
  LogicalResult note(uint64_t pos, const Twine &text);
  LogicalResult countOp(uint64_t pos);
  Location opLoc(uint64_t pos) const;
  LogicalResult fail(uint64_t pos, const Twine &message) {
    ctx.error(pos, message);
    return failure();
  }
  LogicalResult underflow(uint64_t pos, StringRef name, size_t n);
  void clobberVariables(uint64_t pos, StringRef name);
  Value variableValue(int32_t def);
  void setVariable(int32_t def, Value v);
  void storeVariable(const Value &address, const Value &value, unsigned bytes,
                     bool exact, uint64_t pos, StringRef name);

  // Values.
  Value pop() { return stack.pop_back_val(); }
  void push(Value v) { stack.push_back(std::move(v)); }
  Value unknown(uint64_t pos, StringRef name);
  Value unknownFrom(ArrayRef<Value> inputs, uint64_t pos, StringRef name);
  Value add(const Value &a, const Value &b, uint64_t pos, StringRef name);
  Value subtract(const Value &a, const Value &b, uint64_t pos, StringRef name);
  Value logic(uint16_t n, const Value &a, const Value &b, uint64_t pos,
              StringRef name);
  std::optional<initseq::RegAttr> barLocation(const Value &address,
                                              unsigned bytes) const;
  std::string describe(const Value &v) const;
  std::string quote(uint64_t pos, uint64_t len) const;
  std::string tokenName(uint16_t number, int32_t def) const;
  std::optional<StringRef> stringArg(const Value &addr, const Value &len) const;

  const ImageImportContext &ctx;
  ArrayRef<uint8_t> rom;
  mutable ModuleOp module;
  OpBuilder builder;
  /// Ops are built here and moved into the sequence at the end.
  Block scratch;
  /// Owns the token and method names unknown values refer to.
  llvm::StringSet<> names;

  // The program.
  uint64_t headerPos = 0, programEnd = 0, tokensEnd = 0;
  uint8_t startToken = 0, format = 0;
  uint16_t storedChecksum = 0, computedChecksum = 0;
  uint32_t length = 0;
  std::vector<Token> tokens;
  std::vector<Definition> defs;

  // Evaluation state.
  SmallVector<Value, 64> stack;
  SmallVector<Frame, 8> frames;
  std::vector<DefState> state;
  std::vector<Mapping> mappings;
  std::vector<ReadRecord> reads;
  /// The stream token being executed.
  size_t current = 0;
  uint64_t steps = 0, numOps = 0;
  std::optional<uint64_t> stoppedAt;
  /// Stores through addresses that may be a variable's, and the last one.
  uint64_t clobbers = 0, clobberPos = 0;
  StringRef clobberName;
};

//===----------------------------------------------------------------------===//
// Header
//===----------------------------------------------------------------------===//

uint32_t be32(ArrayRef<uint8_t> d, uint64_t p) {
  return uint32_t(d[p]) << 24 | uint32_t(d[p + 1]) << 16 |
         uint32_t(d[p + 2]) << 8 | uint32_t(d[p + 3]);
}

LogicalResult FCodeImporter::findProgram() {
  const RomImage &image = ctx.image;
  uint64_t imageStart = image.offset;
  uint64_t imageEnd = std::min<uint64_t>(image.end(), rom.size());
  uint64_t afterPcir = imageStart + image.pcirOffset + image.pcirLength;
  auto startsAt = [&](uint64_t p) {
    return p < imageEnd && isStartToken(rom[p]);
  };

  // The header's start word (toke), then the end of the data structure,
  // then the first start token with a header that fits the image.
  std::optional<uint64_t> at;
  if (image.fcodeStart && startsAt(imageStart + *image.fcodeStart))
    at = imageStart + *image.fcodeStart;
  else if (startsAt(afterPcir))
    at = afterPcir;
  else {
    uint64_t pcirStart = imageStart + image.pcirOffset;
    for (uint64_t p = imageStart + 0x1a; p + 8 <= imageEnd; ++p) {
      if (p >= pcirStart && p < afterPcir)
        continue;
      uint32_t len = be32(rom, p + 4);
      if (isStartToken(rom[p]) && len >= 8 && len <= imageEnd - p) {
        at = p;
        break;
      }
    }
  }
  if (!at)
    return fail(imageStart,
                formatv("no FCode program in the Open Firmware image: no "
                        "start token at the header's start word, after the "
                        "PCI data structure ({0}) or with a fitting header "
                        "later in the image",
                        hex(afterPcir)));

  headerPos = *at;
  if (imageEnd - headerPos < 8)
    return fail(headerPos,
                formatv("truncated FCode header: 8 bytes needed, the image "
                        "ends at {0}",
                        hex(imageEnd)));
  startToken = rom[headerPos];
  format = rom[headerPos + 1];
  storedChecksum = uint16_t(rom[headerPos + 2] << 8 | rom[headerPos + 3]);
  length = be32(rom, headerPos + 4);
  if (length < 8)
    return fail(headerPos + 4,
                formatv("FCode program length {0} is shorter than its 8-byte "
                        "header",
                        hex(length)));
  if (length > imageEnd - headerPos)
    return fail(headerPos + 4,
                formatv("FCode program length {0} runs past the end of the "
                        "image at {1}",
                        hex(length), hex(imageEnd)));
  programEnd = headerPos + length;

  uint32_t sum = 0;
  for (uint64_t p = headerPos + 8; p < programEnd; ++p)
    sum += rom[p];
  computedChecksum = uint16_t(sum);
  if (computedChecksum != storedChecksum)
    ctx.warning(headerPos + 2,
                formatv("FCode checksum {0} does not match the sum of the "
                        "program bytes, {1}",
                        hex(storedChecksum), hex(computedChecksum)));
  if (startToken == TStart0 || startToken == TStart2 || startToken == TStart4)
    ctx.warning(headerPos,
                formatv("{0} declares a spread of {1}; the program is decoded "
                        "with spread 1, as detok does",
                        standardName(startToken),
                        startToken == TStart0   ? 0
                        : startToken == TStart2 ? 2
                                                : 4));
  return success();
}

//===----------------------------------------------------------------------===//
// Decoding
//===----------------------------------------------------------------------===//

LogicalResult FCodeImporter::need(uint64_t &cur, uint64_t n, uint64_t tokenPos,
                                  StringRef what) {
  if (programEnd - cur < n)
    return fail(tokenPos, formatv("truncated {0}: {1} byte(s) needed at {2}, "
                                  "the FCode program ends at {3}",
                                  what, n, hex(cur), hex(programEnd)));
  return success();
}

FailureOr<uint16_t> FCodeImporter::readTokenNumber(uint64_t &cur,
                                                   uint64_t tokenPos,
                                                   StringRef what) {
  if (failed(need(cur, 1, tokenPos, what)))
    return failure();
  uint8_t first = rom[cur++];
  if (first == 0 || first >= 0x10)
    return uint16_t(first);
  if (failed(need(cur, 1, tokenPos, what)))
    return failure();
  return uint16_t(first << 8 | rom[cur++]);
}

LogicalResult FCodeImporter::decode() {
  bool offsets16 = startToken != TVersion1;
  int32_t body = -1;
  struct Pending {
    uint16_t number;
    std::string name;
    uint64_t pos;
    const char *what;
  };
  std::optional<Pending> pending;
  std::array<int32_t, 0x800> currentDef;
  currentDef.fill(-1);

  auto nameOf = [&](uint16_t n) -> std::string {
    if (n >= kFirstProgramToken) {
      int32_t d = currentDef[n - kFirstProgramToken];
      return d >= 0 ? tokenName(n, d) : hex(n);
    }
    const char *name = standardName(n);
    return name ? name : hex(n);
  };

  uint64_t cur = headerPos + 8;
  while (cur < programEnd) {
    Token t;
    t.pos = cur;
    FailureOr<uint16_t> num = readTokenNumber(cur, t.pos, "token");
    if (failed(num))
      return failure();
    t.number = *num;
    t.region = body;
    const char *name = nullptr;
    if (t.number >= kFirstProgramToken) {
      t.def = currentDef[t.number - kFirstProgramToken];
      if (t.def < 0)
        return fail(t.pos, formatv("token {0} is used before any "
                                   "new-token, named-token or external-token "
                                   "defines it",
                                   hex(t.number)));
    } else {
      name = standardName(t.number);
      if (!name)
        return fail(t.pos, formatv("unknown FCode token {0} (a reserved "
                                   "token number)",
                                   hex(t.number)));
    }
    std::string tname = name ? std::string(name) : nameOf(t.number);

    if (pending && !isDefiningWord(t.number))
      return fail(t.pos, formatv("{0} follows the {1} of token {2} (at {3}); "
                                 "a defining word (b(:), b(constant), "
                                 "b(value), ...) must come next",
                                 tname, pending->what, hex(pending->number),
                                 hex(pending->pos)));

    switch (t.number) {
    case TLit:
      if (failed(need(cur, 4, t.pos, "b(lit)")))
        return failure();
      t.literal = be32(rom, cur);
      cur += 4;
      break;
    case TTick:
    case TTo: {
      FailureOr<uint16_t> ref = readTokenNumber(cur, t.pos, tname);
      if (failed(ref))
        return failure();
      t.ref = *ref;
      if (t.ref >= kFirstProgramToken) {
        t.def = currentDef[t.ref - kFirstProgramToken];
        if (t.def < 0)
          return fail(t.pos, formatv("{0} names token {1}, which no "
                                     "definition has defined yet",
                                     tname, hex(t.ref)));
      } else if (!standardName(t.ref)) {
        return fail(t.pos, formatv("{0} names the unknown FCode token {1}",
                                   tname, hex(t.ref)));
      }
      if (t.number == TTo &&
          (t.def < 0 || (defs[t.def].kind != DefKind::Value &&
                         defs[t.def].kind != DefKind::Defer)))
        return fail(t.pos, formatv("b(to) names {0}, which is not a value or "
                                   "a defer",
                                   nameOf(t.ref)));
      break;
    }
    case TString: {
      if (failed(need(cur, 1, t.pos, "b(\") length")))
        return failure();
      t.strLen = rom[cur++];
      if (failed(need(cur, t.strLen, t.pos, "b(\") string")))
        return failure();
      t.strPos = cur;
      cur += t.strLen;
      break;
    }
    case TBranch:
    case TQBranch:
    case TLoop:
    case TPlusLoop:
    case TDo:
    case TQDo:
    case TOf:
    case TEndof: {
      uint64_t field = cur;
      int64_t offset;
      if (offsets16) {
        if (failed(need(cur, 2, t.pos, tname + " offset")))
          return failure();
        offset = int16_t(uint16_t(rom[cur] << 8 | rom[cur + 1]));
        cur += 2;
      } else {
        if (failed(need(cur, 1, t.pos, tname + " offset")))
          return failure();
        offset = int8_t(rom[cur]);
        cur += 1;
      }
      t.targetPos = int64_t(field) + offset;
      break;
    }
    case TNewToken:
    case TNamedToken:
    case TExternalToken: {
      std::string defName;
      if (t.number != TNewToken) {
        if (failed(need(cur, 1, t.pos, tname + " name length")))
          return failure();
        uint8_t len = rom[cur++];
        if (failed(need(cur, len, t.pos, tname + " name")))
          return failure();
        defName.assign(reinterpret_cast<const char *>(&rom[cur]), len);
        cur += len;
      }
      FailureOr<uint16_t> defined =
          readTokenNumber(cur, t.pos, tname + " token number");
      if (failed(defined))
        return failure();
      if (body >= 0)
        return fail(t.pos, formatv("{0} inside the colon definition of {1} "
                                   "(begun at {2})",
                                   tname, tokenName(defs[body].number, body),
                                   hex(tokens[defs[body].token].pos)));
      if (*defined < kFirstProgramToken)
        return fail(t.pos, formatv("{0} defines token {1}, outside the "
                                   "program-defined range 0x800..0xfff",
                                   tname, hex(*defined)));
      pending = Pending{*defined, std::move(defName), t.pos, name};
      break;
    }
    case TColon:
    case TValue:
    case TVariable:
    case TConstant:
    case TCreate:
    case TDefer:
    case TBuffer:
    case TField: {
      if (!pending)
        return fail(t.pos, formatv("{0} without a preceding new-token, "
                                   "named-token or external-token",
                                   tname));
      Definition d;
      d.number = pending->number;
      d.name = std::move(pending->name);
      d.token = tokens.size();
      switch (t.number) {
      case TColon:
        d.kind = DefKind::Colon;
        break;
      case TValue:
        d.kind = DefKind::Value;
        break;
      case TVariable:
        d.kind = DefKind::Variable;
        break;
      case TConstant:
        d.kind = DefKind::Constant;
        break;
      case TCreate:
        d.kind = DefKind::Create;
        break;
      case TDefer:
        d.kind = DefKind::Defer;
        break;
      case TBuffer:
        d.kind = DefKind::Buffer;
        break;
      default:
        d.kind = DefKind::Field;
        break;
      }
      t.def = int32_t(defs.size());
      currentDef[d.number - kFirstProgramToken] = t.def;
      defs.push_back(std::move(d));
      pending.reset();
      if (t.number == TColon)
        body = t.def;
      break;
    }
    case TSemicolon:
      if (body < 0)
        return fail(t.pos, "b(;) outside a colon definition");
      defs[body].end = tokens.size();
      body = -1;
      break;
    case TOffset16:
      offsets16 = true;
      break;
    case TStart0:
    case TStart1:
    case TStart2:
    case TStart4:
    case TVersion1:
      return fail(t.pos, formatv("{0} inside the FCode program (nested "
                                 "FCode headers are not supported)",
                                 tname));
    case TCode:
    case TFourByteId:
      return fail(t.pos, formatv("{0} is followed by data of unknown length; "
                                 "the rest of the program cannot be decoded",
                                 tname));
    default:
      break;
    }
    t.size = uint32_t(cur - t.pos);
    tokens.push_back(t);
    if (t.number == TEnd0 || t.number == TEnd1) {
      if (body >= 0)
        return fail(t.pos, formatv("the program ends ({0}) inside the colon "
                                   "definition of {1} begun at {2}",
                                   tname, tokenName(defs[body].number, body),
                                   hex(tokens[defs[body].token].pos)));
      break;
    }
  }
  tokensEnd = cur;
  if (pending)
    return fail(pending->pos,
                formatv("the {0} of token {1} is not followed "
                        "by a defining word before the end of "
                        "the FCode program at {2}",
                        pending->what, hex(pending->number), hex(programEnd)));
  if (body >= 0)
    return fail(tokens[defs[body].token].pos,
                formatv("the colon definition of {0} has no b(;) before the "
                        "end of the FCode program at {1}",
                        tokenName(defs[body].number, body), hex(programEnd)));
  return resolveBranches();
}

LogicalResult FCodeImporter::resolveBranches() {
  auto where = [&](int32_t region) {
    return region < 0 ? std::string("the top level")
                      : formatv("the colon definition of {0}",
                                tokenName(defs[region].number, region))
                            .str();
  };
  for (Token &t : tokens) {
    if (!isBranchToken(t.number))
      continue;
    const char *name = standardName(t.number);
    uint64_t first = headerPos + 8;
    if (t.targetPos < int64_t(first) || t.targetPos > int64_t(tokensEnd))
      return fail(t.pos, formatv("{0} branches to {1}, outside the FCode "
                                 "program ({2}..{3})",
                                 name, signedHex(t.targetPos), hex(first),
                                 hex(tokensEnd)));
    uint64_t target = uint64_t(t.targetPos);
    auto it = llvm::partition_point(
        tokens, [&](const Token &other) { return other.pos < target; });
    size_t index = size_t(it - tokens.begin());
    if (index == tokens.size()) {
      // Only the end of the top level (a program without end0).
      if (t.region >= 0)
        return fail(t.pos, formatv("{0} branches to {1}, outside {2}", name,
                                   hex(target), where(t.region)));
    } else if (it->pos != target) {
      return fail(t.pos, formatv("{0} branches to {1}, which is not the "
                                 "start of a token",
                                 name, hex(target)));
    } else if (it->region != t.region) {
      return fail(t.pos,
                  formatv("{0} in {1} branches to {2}, in {3}", name,
                          where(t.region), hex(target), where(it->region)));
    }
    t.target = index;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Output
//===----------------------------------------------------------------------===//

Location FCodeImporter::opLoc(uint64_t pos) const {
  // The token, called from the call site of each enclosing colon
  // definition: callsite(token at callsite(inner call at outer call)).
  std::optional<Location> caller;
  for (const Frame &f : frames) {
    if (f.def < 0)
      continue;
    Location site = ctx.loc(f.callPos);
    caller = caller ? CallSiteLoc::get(site, *caller) : site;
  }
  Location loc = ctx.loc(pos);
  return caller ? CallSiteLoc::get(loc, *caller) : loc;
}

LogicalResult FCodeImporter::countOp(uint64_t pos) {
  if (++numOps > ctx.options.maxOps)
    return fail(pos, formatv("more than {0} ops in the FCode sequence (the "
                             "op limit)",
                             ctx.options.maxOps));
  return success();
}

LogicalResult FCodeImporter::note(uint64_t pos, const Twine &text) {
  if (failed(countOp(pos)))
    return failure();
  initseq::NoteOp::create(builder, opLoc(pos), text.str(), int64_t(pos));
  return success();
}

LogicalResult FCodeImporter::opaque(uint64_t pos, StringRef kind,
                                    ArrayRef<Value> inputs) {
  SmallVector<int64_t> operands;
  bool allNumbers = true;
  for (const Value &v : inputs) {
    if (v.kind == VK::Num)
      operands.push_back(int64_t(v.num));
    else
      allNumbers = false;
  }
  if (!allNumbers) {
    std::string text = (kind + " (").str();
    for (const Value &v : inputs)
      text += " " + describe(v);
    text += " )";
    if (failed(note(pos, text)))
      return failure();
  }
  if (failed(countOp(pos)))
    return failure();
  const Token &t = tokens[current];
  std::string bytes = llvm::toHex(rom.slice(t.pos, t.size), true);
  initseq::OpaqueOp::create(builder, opLoc(pos), kind, operands,
                            builder.getStringAttr(bytes), int64_t(pos));
  return success();
}

LogicalResult FCodeImporter::stop(uint64_t pos, StringRef kind,
                                  ArrayRef<Value> inputs, const Twine &reason) {
  if (failed(opaque(pos, kind, inputs)))
    return failure();
  ctx.warning(pos, "FCode evaluation stopped: " + reason);
  stoppedAt = pos;
  return success();
}

LogicalResult FCodeImporter::underflow(uint64_t pos, StringRef name, size_t n) {
  return fail(pos, formatv("stack underflow: {0} takes {1} value(s), the "
                           "data stack holds {2}",
                           name, n, stack.size()));
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

void FCodeImporter::clobberVariables(uint64_t pos, StringRef name) {
  // Every variable stored before this point is unknown from now on (in
  // constant time: variableValue compares epochs).
  ++clobbers;
  clobberPos = pos;
  clobberName = names.insert(name).first->getKey();
}

Value FCodeImporter::variableValue(int32_t def) {
  const DefState &s = state[def];
  if (s.epoch < clobbers)
    return unknown(clobberPos, clobberName);
  return s.value;
}

void FCodeImporter::setVariable(int32_t def, Value v) {
  state[def].value = std::move(v);
  state[def].epoch = clobbers;
}

void FCodeImporter::storeVariable(const Value &address, const Value &value,
                                  unsigned bytes, bool exact, uint64_t pos,
                                  StringRef name) {
  // Outside its cell, a variable's address may be another variable's.
  if (address.off < 0 || address.off > 4 - int64_t(bytes))
    clobberVariables(pos, name);
  else if (exact && address.off == 0 && bytes == 4)
    setVariable(address.ref, value);
  else
    setVariable(address.ref, unknown(pos, name));
}

std::string FCodeImporter::tokenName(uint16_t number, int32_t def) const {
  if (def >= 0 && !defs[def].name.empty())
    return defs[def].name;
  if (number < kFirstProgramToken)
    if (const char *name = standardName(number))
      return name;
  return hex(number);
}

std::string FCodeImporter::quote(uint64_t pos, uint64_t len) const {
  std::string out = "'";
  for (uint64_t i = 0; i < len && i < kMaxQuoted; ++i) {
    uint8_t c = rom[pos + i];
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '%')
      out += char(c);
    else
      out += formatv("%{0:x-2}", unsigned(c)).str();
  }
  if (len > kMaxQuoted)
    out += "...";
  return out + "'";
}

std::string FCodeImporter::describe(const Value &v) const {
  switch (v.kind) {
  case VK::Num:
    return hex(v.num);
  case VK::Unknown: {
    std::string s = "?";
    if (!v.originName.empty())
      s = formatv("?({0} at {1})", v.originName, hex(v.originPos)).str();
    if (v.ref >= 0) {
      uint32_t full = uint32_t(initseq::widthMask(reads[v.ref].bits));
      if (v.andMask != full)
        s += " & " + hex(v.andMask);
      if (v.orMask != 0)
        s += " | " + hex(v.orMask);
    }
    return s;
  }
  case VK::Bar: {
    const Mapping &m = mappings[v.ref];
    std::string base = m.space == Mapping::ROM ? std::string("rom")
                       : m.space == Mapping::IO
                           ? formatv("io-bar{0}", m.bar).str()
                           : formatv("bar{0}", m.bar).str();
    std::string s = base + (v.off < 0 ? "-" : "+") +
                    hex(v.off < 0 ? uint64_t(-v.off) : uint64_t(v.off));
    if (!m.mapped)
      s += " (unmapped)";
    return s;
  }
  case VK::MySpace:
    return v.num ? "my-space+" + hex(v.num) : "my-space";
  case VK::Str:
    return quote(uint64_t(v.off), v.num);
  case VK::Xt:
    return "xt(" + tokenName(uint16_t(v.num), v.ref) + ")";
  case VK::Mem:
    return "memory";
  case VK::Var:
    return "variable(" + tokenName(defs[v.ref].number, v.ref) + ")" +
           (v.off ? "+" + signedHex(v.off) : "");
  }
  return "?";
}

Value FCodeImporter::unknown(uint64_t pos, StringRef name) {
  Value v;
  v.kind = VK::Unknown;
  v.originName = names.insert(name).first->getKey();
  v.originPos = pos;
  return v;
}

Value FCodeImporter::unknownFrom(ArrayRef<Value> inputs, uint64_t pos,
                                 StringRef name) {
  for (const Value &v : inputs)
    if (v.kind == VK::Unknown)
      return unknown(v.originPos, v.originName);
  return unknown(pos, name);
}

/// Adds a signed 32-bit cell to a 64-bit address offset.
int64_t addSigned(int64_t off, uint32_t k) { return off + int32_t(k); }

Value FCodeImporter::add(const Value &a, const Value &b, uint64_t pos,
                         StringRef name) {
  if (a.kind == VK::Num && b.kind == VK::Num)
    return number(a.num + b.num);
  const Value &addr = a.kind == VK::Num ? b : a;
  const Value &k = a.kind == VK::Num ? a : b;
  if (k.kind == VK::Num) {
    switch (addr.kind) {
    case VK::Bar:
    case VK::Var: {
      Value r = addr;
      r.off = addSigned(addr.off, k.num);
      return r;
    }
    case VK::MySpace: {
      uint32_t bits = addr.num;
      if ((k.num & 0x00ffff00u) == 0 &&
          (bits & 0xff) + (k.num & 0xff) <= 0xff &&
          (bits >> 24) + (k.num >> 24) <= 0xff) {
        Value r = addr;
        r.num = bits + k.num;
        return r;
      }
      break;
    }
    case VK::Str:
    case VK::Mem: {
      Value r;
      r.kind = VK::Mem;
      return r;
    }
    default:
      break;
    }
  }
  return unknownFrom({a, b}, pos, name);
}

Value FCodeImporter::subtract(const Value &a, const Value &b, uint64_t pos,
                              StringRef name) {
  if (a.kind == VK::Num && b.kind == VK::Num)
    return number(a.num - b.num);
  if ((a.kind == VK::Bar || a.kind == VK::Var) && b.kind == VK::Num) {
    Value r = a;
    r.off = a.off - int64_t(int32_t(b.num));
    return r;
  }
  if (a.kind == b.kind && (a.kind == VK::Bar || a.kind == VK::Var) &&
      a.ref == b.ref)
    return number(uint32_t(a.off - b.off));
  return unknownFrom({a, b}, pos, name);
}

Value FCodeImporter::logic(uint16_t n, const Value &a, const Value &b,
                           uint64_t pos, StringRef name) {
  if (a.kind == VK::Num && b.kind == VK::Num) {
    switch (n) {
    case TAnd:
      return number(a.num & b.num);
    case TOr:
      return number(a.num | b.num);
    default:
      return number(a.num ^ b.num);
    }
  }
  const Value &x = a.kind == VK::Num ? b : a;
  const Value &k = a.kind == VK::Num ? a : b;
  if (k.kind == VK::Num && x.kind == VK::MySpace && n == TOr &&
      (k.num & 0x00ffff00u) == 0) {
    Value r = x;
    r.num |= k.num;
    return r;
  }
  // (R & A) | O combined with a constant stays of that form for and, or
  // and an xor that only flips bits known from O.
  if (k.kind == VK::Num && x.kind == VK::Unknown && x.ref >= 0) {
    Value r = x;
    if (n == TAnd) {
      r.andMask &= k.num;
      r.orMask &= k.num;
    } else if (n == TOr) {
      r.andMask &= ~k.num;
      r.orMask |= k.num;
    } else if ((k.num & r.andMask) == 0) {
      r.orMask ^= k.num;
    } else {
      return unknownFrom({a, b}, pos, name);
    }
    if (r.andMask == 0)
      return number(r.orMask);
    return r;
  }
  return unknownFrom({a, b}, pos, name);
}

std::optional<StringRef> FCodeImporter::stringArg(const Value &addr,
                                                  const Value &len) const {
  if (addr.kind != VK::Str || len.kind != VK::Num || len.num > addr.num)
    return std::nullopt;
  return StringRef(reinterpret_cast<const char *>(rom.data() + addr.off),
                   len.num);
}

std::optional<initseq::RegAttr>
FCodeImporter::barLocation(const Value &address, unsigned bytes) const {
  if (address.kind != VK::Bar)
    return std::nullopt;
  const Mapping &m = mappings[address.ref];
  if (!m.mapped || m.space != Mapping::Memory || address.off < m.base ||
      address.off > m.limit - int64_t(bytes))
    return std::nullopt;
  return initseq::RegAttr::getMmio(module.getContext(), m.bar,
                                   uint64_t(address.off));
}

//===----------------------------------------------------------------------===//
// Device accesses
//===----------------------------------------------------------------------===//

/// Whether a `bytes`-wide value reads the same in either byte order.
bool byteOrderSymmetric(uint32_t v, unsigned bytes) {
  if (bytes == 1)
    return true;
  if (bytes == 2)
    return (v & 0xff) == ((v >> 8) & 0xff);
  return llvm::byteswap(v) == v;
}

LogicalResult FCodeImporter::writeRegister(uint64_t pos, StringRef name,
                                           initseq::RegAttr location,
                                           unsigned bits, const Value &address,
                                           const Value &value) {
  uint64_t mask = initseq::widthMask(bits);
  IntegerType type = builder.getIntegerType(bits);
  if (value.kind == VK::Num) {
    if (failed(countOp(pos)))
      return failure();
    initseq::WriteOp::create(builder, opLoc(pos), location, type,
                             value.num & mask, int64_t(pos));
    return success();
  }
  // A value computed from a read of the same register, with nothing in
  // between: one read-modify-write.
  if (value.kind == VK::Unknown && value.ref >= 0) {
    ReadRecord &r = reads[value.ref];
    if (r.live && r.location == location && r.bits == bits &&
        !scratch.empty() && &scratch.back() == r.op) {
      r.op->erase();
      r.live = false;
      --numOps;
      if (failed(countOp(pos)))
        return failure();
      initseq::RmwOp::create(builder, opLoc(pos), location, type,
                             value.andMask & mask, value.orMask & mask,
                             int64_t(pos));
      return success();
    }
  }
  return opaque(pos, name, {value, address});
}

LogicalResult FCodeImporter::readRegister(uint64_t pos, StringRef name,
                                          initseq::RegAttr location,
                                          unsigned bits, bool symbolic) {
  if (failed(countOp(pos)))
    return failure();
  auto op = initseq::ReadOp::create(builder, opLoc(pos), location,
                                    builder.getIntegerType(bits), IntegerAttr(),
                                    int64_t(pos));
  Value v = unknown(pos, name);
  if (symbolic) {
    reads.push_back({op.getOperation(), location, bits, true});
    v.ref = int32_t(reads.size() - 1);
    v.andMask = uint32_t(initseq::widthMask(bits));
    v.orMask = 0;
  }
  push(v);
  return success();
}

LogicalResult FCodeImporter::store(uint64_t pos, StringRef name,
                                   const Value &address, const Value &value,
                                   unsigned bytes, bool deviceOrder) {
  switch (address.kind) {
  case VK::Bar: {
    std::optional<initseq::RegAttr> location = barLocation(address, bytes);
    // Plain stores use the host's byte order, which FCode leaves open:
    // only a value that reads the same either way is known.
    bool exact =
        deviceOrder || bytes == 1 ||
        (value.kind == VK::Num && byteOrderSymmetric(value.num, bytes));
    if (location && exact)
      return writeRegister(pos, name, *location, bytes * 8, address, value);
    return opaque(pos, name, {value, address});
  }
  case VK::Var:
    storeVariable(address, value, bytes, !deviceOrder, pos, name);
    return success();
  case VK::Mem:
  case VK::Str:
    // Firmware memory: no device effect, contents not tracked.
    return success();
  default:
    // An address the importer does not know may be a variable's.
    clobberVariables(pos, name);
    return opaque(pos, name, {value, address});
  }
}

LogicalResult FCodeImporter::load(uint64_t pos, StringRef name,
                                  const Value &address, unsigned bytes,
                                  bool deviceOrder, bool signExtend) {
  switch (address.kind) {
  case VK::Bar: {
    std::optional<initseq::RegAttr> location = barLocation(address, bytes);
    if (!location) {
      if (failed(opaque(pos, name, {address})))
        return failure();
      push(unknown(pos, name));
      return success();
    }
    return readRegister(pos, name, *location, bytes * 8,
                        (deviceOrder || bytes == 1) && !signExtend);
  }
  case VK::Var:
    if (address.off == 0 && bytes == 4 && !deviceOrder && !signExtend)
      push(variableValue(address.ref));
    else
      push(unknown(pos, name));
    return success();
  case VK::Mem:
  case VK::Str:
    push(unknown(pos, name));
    return success();
  default:
    if (failed(opaque(pos, name, {address})))
      return failure();
    push(unknown(pos, name));
    return success();
  }
}

LogicalResult FCodeImporter::configAccess(uint64_t pos, StringRef kind,
                                          unsigned bytes, bool isStore) {
  size_t n = isStore ? 2 : 1;
  if (stack.size() < n)
    return underflow(pos, kind, n);
  Value address = pop();
  Value value = isStore ? pop() : Value();
  // config-addr = my-space + register, register 0..0xff aligned to the
  // access (the PCI bus binding's config-* methods).
  std::optional<initseq::RegAttr> location;
  if (address.kind == VK::MySpace && (address.num & 0xffffff00u) == 0 &&
      address.num % bytes == 0)
    location = initseq::RegAttr::getCfg(module.getContext(), address.num);
  if (isStore) {
    if (location)
      return writeRegister(pos, kind, *location, bytes * 8, address, value);
    return opaque(pos, kind, {value, address});
  }
  if (location)
    return readRegister(pos, kind, *location, bytes * 8, true);
  if (failed(opaque(pos, kind, {address})))
    return failure();
  push(unknown(pos, kind));
  return success();
}

LogicalResult FCodeImporter::mapIn(uint64_t pos, StringRef kind) {
  if (stack.size() < 4)
    return underflow(pos, kind, 4);
  Value size = pop(), hi = pop(), mid = pop(), lo = pop();
  // phys.hi = n p t 0 0 0 s s | bus | device function | register, with the
  // bus/device/function bits from my-space; n = 0 (relocatable) makes
  // phys.mid.lo an offset into the BAR named by the register field.
  std::optional<Mapping> m;
  if (hi.kind == VK::MySpace && lo.kind == VK::Num && mid.kind == VK::Num &&
      mid.num == 0 && size.kind == VK::Num && size.num != 0) {
    uint32_t bits = hi.num;
    uint32_t reg = bits & 0xff, space = (bits >> 24) & 3;
    bool relocatable = (bits & 0x80000000u) == 0;
    bool zeros = (bits & 0x1c000000u) == 0;
    if (relocatable && zeros) {
      Mapping candidate;
      candidate.base = lo.num;
      candidate.limit = int64_t(lo.num) + size.num;
      if (space != 0 && reg >= 0x10 && reg <= 0x24 && reg % 4 == 0) {
        candidate.bar = (reg - 0x10) / 4;
        candidate.space = space == 1 ? Mapping::IO : Mapping::Memory;
        m = candidate;
      } else if (space == 2 && reg == 0x30) {
        candidate.space = Mapping::ROM;
        m = candidate;
      }
    }
  }
  if (!m) {
    if (failed(opaque(pos, kind, {lo, mid, hi, size})))
      return failure();
    push(unknown(pos, kind));
    return success();
  }
  mappings.push_back(*m);
  std::string what =
      m->space == Mapping::ROM
          ? std::string("the expansion ROM")
          : formatv("bar{0} ({1})", m->bar,
                    m->space == Mapping::IO     ? "I/O"
                    : ((hi.num >> 24) & 3) == 3 ? "64-bit memory"
                                                : "32-bit memory")
                .str();
  if (failed(note(pos, formatv("map-in {0} at {1}, {2} bytes", what,
                               hex(lo.num), hex(size.num)))))
    return failure();
  Value v;
  v.kind = VK::Bar;
  v.ref = int32_t(mappings.size() - 1);
  v.off = lo.num;
  push(v);
  return success();
}

LogicalResult FCodeImporter::callParent(uint64_t pos) {
  if (stack.size() < 2)
    return underflow(pos, "$call-parent", 2);
  Value len = pop(), str = pop();
  std::optional<StringRef> method = stringArg(str, len);
  if (!method)
    return stop(pos, "$call-parent", {str, len},
                formatv("$call-parent of a method name that is not a known "
                        "string ({0} {1})",
                        describe(str), describe(len)));
  std::string kind = ("$call-parent " + *method).str();
  // The PCI bus node's methods (PCI bus binding to IEEE 1275).
  struct Method {
    const char *name;
    unsigned in, out;
  };
  static const Method kSilent[] = {
      {"dma-alloc", 1, 1},   {"dma-free", 2, 0}, {"dma-map-in", 3, 1},
      {"dma-map-out", 3, 0}, {"dma-sync", 3, 0},
  };
  if (*method == "map-in")
    return mapIn(pos, kind);
  if (*method == "map-out") {
    if (stack.size() < 2)
      return underflow(pos, kind, 2);
    Value size = pop(), virt = pop();
    std::string text =
        formatv("map-out {0}, {1} bytes", describe(virt), describe(size));
    if (virt.kind == VK::Bar)
      mappings[virt.ref].mapped = false;
    return note(pos, text);
  }
  if (method->starts_with("config-") && method->size() == 9) {
    char width = (*method)[7], op = (*method)[8];
    unsigned bytes = width == 'b' ? 1 : width == 'w' ? 2 : width == 'l' ? 4 : 0;
    if (bytes && (op == '!' || op == '@'))
      return configAccess(pos, kind, bytes, op == '!');
  }
  for (const Method &m : kSilent) {
    if (*method != m.name)
      continue;
    if (stack.size() < m.in)
      return underflow(pos, kind, m.in);
    for (unsigned i = 0; i < m.in; ++i)
      pop();
    if (m.out) {
      Value v;
      v.kind = VK::Mem;
      push(m.name == StringRef("dma-map-in") ? unknown(pos, m.name) : v);
    }
    return success();
  }
  return stop(pos, kind, {},
              formatv("the parent's method \"{0}\" is not modelled", *method));
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

LogicalResult FCodeImporter::evaluate() {
  state.assign(defs.size(), DefState());
  frames.push_back(Frame());
  while (!stoppedAt) {
    Frame &f = frames.back();
    if (f.pc >= tokens.size())
      break; // The end of the top level (no end0).
    size_t index = f.pc++;
    current = index;
    if (++steps > ctx.options.maxSteps)
      return fail(tokens[index].pos,
                  formatv("more than {0} FCode tokens executed (the step "
                          "limit)",
                          ctx.options.maxSteps));
    if (tokens[index].number == TEnd0 || tokens[index].number == TEnd1)
      break;
    if (failed(step(index)))
      return failure();
    if (stack.size() > kMaxStack)
      return fail(
          tokens[index].pos,
          formatv("data stack overflow: more than {0} cells", kMaxStack));
    if (!frames.empty() && (frames.back().rstack.size() > kMaxStack ||
                            frames.back().loops.size() > kMaxStack))
      return fail(
          tokens[index].pos,
          formatv("return stack overflow: more than {0} entries", kMaxStack));
  }
  return success();
}

LogicalResult FCodeImporter::step(size_t index) {
  const Token &t = tokens[index];
  uint64_t pos = t.pos;
  StringRef name = standardName(t.number) ? standardName(t.number) : "";
  Frame &f = frames.back();
  auto requireNumbers = [&](ArrayRef<Value> values) {
    return llvm::all_of(values,
                        [](const Value &v) { return v.kind == VK::Num; });
  };

  if (t.number >= kFirstProgramToken)
    return dispatch(true, t.number, t.def, pos);

  switch (t.number) {
  case TLit:
    push(number(t.literal));
    return success();
  case TTick: {
    Value v;
    v.kind = VK::Xt;
    v.num = t.ref;
    v.ref = t.def;
    push(v);
    return success();
  }
  case TString: {
    Value s;
    s.kind = VK::Str;
    s.off = int64_t(t.strPos);
    s.num = t.strLen;
    push(s);
    push(number(t.strLen));
    return success();
  }
  case TBranch:
    f.pc = t.target;
    return success();
  case TQBranch: {
    if (stack.empty())
      return underflow(pos, name, 1);
    Value flagValue = pop();
    if (flagValue.kind != VK::Num)
      return stop(pos, name, {flagValue},
                  formatv("b?branch on a flag the importer cannot know ({0})",
                          describe(flagValue)));
    if (flagValue.num == 0)
      f.pc = t.target;
    return success();
  }
  case TDo:
  case TQDo: {
    if (stack.size() < 2)
      return underflow(pos, name, 2);
    Value start = pop(), limit = pop();
    if (!requireNumbers({start, limit}))
      return stop(pos, name, {limit, start},
                  formatv("{0} with bounds the importer cannot know ({1} {2})",
                          name, describe(limit), describe(start)));
    if (t.number == TQDo && start.num == limit.num) {
      f.pc = t.target;
      return success();
    }
    f.loops.push_back({start.num, limit.num, t.target});
    return success();
  }
  case TLoop:
  case TPlusLoop: {
    if (f.loops.empty())
      return fail(pos, formatv("{0} without an active do loop in this "
                               "definition",
                               name));
    uint32_t inc = 1;
    if (t.number == TPlusLoop) {
      if (stack.empty())
        return underflow(pos, name, 1);
      Value n = pop();
      if (n.kind != VK::Num)
        return stop(pos, name, {n},
                    formatv("b(+loop) with an increment the importer cannot "
                            "know ({0})",
                            describe(n)));
      inc = n.num;
    }
    Frame::Loop &loop = f.loops.back();
    // The loop ends when the index crosses the boundary between limit-1
    // and limit.
    int32_t before = int32_t(loop.index - loop.limit);
    int32_t after = int32_t(loop.index + inc - loop.limit);
    loop.index += inc;
    if (((before ^ after) < 0) && ((before ^ int32_t(inc)) < 0))
      f.loops.pop_back();
    else
      f.pc = t.target;
    return success();
  }
  case TI:
  case TJ: {
    size_t depth = t.number == TI ? 1 : 2;
    if (f.loops.size() < depth)
      return fail(pos, formatv("{0} without {1} active do loop(s) in this "
                               "definition",
                               name, depth));
    push(number(f.loops[f.loops.size() - depth].index));
    return success();
  }
  case TLeave:
    if (f.loops.empty())
      return fail(pos, "b(leave) without an active do loop in this definition");
    f.pc = f.loops.back().exit;
    f.loops.pop_back();
    return success();
  case TUnloop:
    if (f.loops.empty())
      return fail(pos, "unloop without an active do loop in this definition");
    f.loops.pop_back();
    return success();
  case TCase:
    return success();
  case TOf: {
    if (stack.size() < 2)
      return underflow(pos, name, 2);
    Value test = pop();
    const Value &selector = stack.back();
    if (!requireNumbers({test, selector}))
      return stop(pos, name, {selector, test},
                  formatv("b(of) comparing values the importer cannot know "
                          "({0} {1})",
                          describe(selector), describe(test)));
    if (selector.num == test.num)
      pop();
    else
      f.pc = t.target;
    return success();
  }
  case TEndof:
    f.pc = t.target;
    return success();
  case TEndcase:
    if (stack.empty())
      return underflow(pos, name, 1);
    pop();
    return success();
  case TExit:
  case TSemicolon: {
    if (f.def < 0)
      return stop(pos, name, {}, "exit at the top level");
    if (!f.rstack.empty())
      return stop(pos, name, {},
                  formatv("{0} with {1} value(s) left on the return stack "
                          "(return-address manipulation is not modelled)",
                          name, f.rstack.size()));
    frames.pop_back();
    return success();
  }
  case TNewToken:
  case TNamedToken:
  case TExternalToken:
  case TInstance:
  case TMark:
  case TResolve:
  case TOffset16:
  case TNoop:
    return success();
  case TColon:
    state[t.def].defined = true;
    f.pc = defs[t.def].end + 1;
    return success();
  case TConstant:
  case TValue: {
    if (stack.empty())
      return underflow(pos, name, 1);
    state[t.def].value = pop();
    state[t.def].defined = true;
    return success();
  }
  case TVariable:
    setVariable(t.def, unknown(pos, name));
    state[t.def].defined = true;
    return success();
  case TDefer:
  case TCreate:
    state[t.def].defined = true;
    return success();
  case TBuffer:
    if (stack.empty())
      return underflow(pos, name, 1);
    pop();
    state[t.def].defined = true;
    return success();
  case TField: {
    if (stack.size() < 2)
      return underflow(pos, name, 2);
    Value size = pop(), offset = pop();
    state[t.def].value = offset;
    state[t.def].defined = true;
    push(add(offset, size, pos, name));
    return success();
  }
  case TTo: {
    if (stack.empty())
      return underflow(pos, name, 1);
    DefState &s = state[t.def];
    if (!s.defined)
      return fail(pos, formatv("b(to) assigns {0} before its definition was "
                               "executed",
                               tokenName(t.ref, t.def)));
    s.value = pop();
    s.hasXt = true;
    return success();
  }
  default:
    return dispatch(false, t.number, -1, pos);
  }
}

LogicalResult FCodeImporter::dispatch(bool isDef, uint16_t number, int32_t def,
                                      uint64_t pos) {
  // execute and deferred words chain without recursion; each link is a step.
  for (;;) {
    if (isDef) {
      const Definition &d = defs[def];
      const DefState &s = state[def];
      if (!s.defined)
        return fail(pos, formatv("{0} is executed before its definition was "
                                 "executed",
                                 tokenName(d.number, def)));
      if (d.kind != DefKind::Defer)
        return runDefinition(def, pos);
      if (!s.hasXt || s.value.kind != VK::Xt)
        return stop(pos, tokenName(d.number, def), {},
                    formatv("deferred word {0} has no known behaviour",
                            tokenName(d.number, def)));
      isDef = s.value.ref >= 0;
      number = uint16_t(s.value.num);
      def = s.value.ref;
    } else if (number == TExecute) {
      if (stack.empty())
        return underflow(pos, "execute", 1);
      Value xt = pop();
      if (xt.kind != VK::Xt)
        return stop(pos, "execute", {xt},
                    formatv("execute of an execution token the importer "
                            "cannot know ({0})",
                            describe(xt)));
      isDef = xt.ref >= 0;
      number = uint16_t(xt.num);
      def = xt.ref;
    } else {
      if (isStreamOnly(number))
        return stop(pos, "execute", {::number(number)},
                    formatv("execute of {0}, a token with inline operands or "
                            "control flow",
                            tokenName(number, -1)));
      return runStandard(number, pos);
    }
    if (++steps > ctx.options.maxSteps)
      return fail(pos, formatv("more than {0} FCode tokens executed (the step "
                               "limit)",
                               ctx.options.maxSteps));
  }
}

LogicalResult FCodeImporter::runDefinition(int32_t def, uint64_t pos) {
  const Definition &d = defs[def];
  DefState &s = state[def];
  switch (d.kind) {
  case DefKind::Colon: {
    // Colon frames only: the top level is not a call.
    if (frames.size() > ctx.options.maxDepth)
      return fail(pos, formatv("call of {0} exceeds the nesting limit of {1} "
                               "colon definitions",
                               tokenName(d.number, def), ctx.options.maxDepth));
    Frame callee;
    callee.def = def;
    callee.callPos = pos;
    callee.pc = d.token + 1;
    frames.push_back(std::move(callee));
    return success();
  }
  case DefKind::Constant:
  case DefKind::Value:
    push(s.value);
    return success();
  case DefKind::Variable: {
    Value v;
    v.kind = VK::Var;
    v.ref = def;
    push(v);
    return success();
  }
  case DefKind::Buffer:
  case DefKind::Create: {
    Value v;
    v.kind = VK::Mem;
    push(v);
    return success();
  }
  case DefKind::Field: {
    if (stack.empty())
      return underflow(pos, tokenName(d.number, def), 1);
    Value base = pop();
    push(add(base, s.value, pos, tokenName(d.number, def)));
    return success();
  }
  case DefKind::Defer:
    break;
  }
  return success();
}

/// Signed and unsigned views of a cell.
int32_t sgn(uint32_t v) { return int32_t(v); }

LogicalResult FCodeImporter::runStandard(uint16_t n, uint64_t pos) {
  StringRef name = standardName(n);
  auto needs = [&](size_t k) -> LogicalResult {
    if (stack.size() < k)
      return underflow(pos, name, k);
    return success();
  };
  auto top = [&](size_t i) -> Value & { return stack[stack.size() - 1 - i]; };
  auto memValue = []() {
    Value v;
    v.kind = VK::Mem;
    return v;
  };
  // Pops `in` cells, pushes `out` unknown cells; no device effect.
  auto silent = [&](size_t in, size_t out) -> LogicalResult {
    if (failed(needs(in)))
      return failure();
    stack.resize(stack.size() - in);
    for (size_t i = 0; i < out; ++i)
      push(unknown(pos, name));
    return success();
  };
  // Pops `in` cells, records them in an opaque op, pushes `out` unknowns.
  auto opaqueEffect = [&](size_t in, size_t out) -> LogicalResult {
    if (failed(needs(in)))
      return failure();
    SmallVector<Value, 4> inputs(stack.end() - in, stack.end());
    stack.resize(stack.size() - in);
    if (failed(opaque(pos, name, inputs)))
      return failure();
    for (size_t i = 0; i < out; ++i)
      push(unknown(pos, name));
    return success();
  };
  auto unary = [&](auto fn) -> LogicalResult {
    if (failed(needs(1)))
      return failure();
    Value &v = top(0);
    if (v.kind == VK::Num)
      v = number(fn(v.num));
    else
      v = unknownFrom({v}, pos, name);
    return success();
  };
  // A binary operation on numbers; `fn` returns nullopt when the result is
  // implementation-defined.
  auto binary = [&](auto fn) -> LogicalResult {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    if (a.kind == VK::Num && b.kind == VK::Num) {
      std::optional<uint32_t> r = fn(a.num, b.num);
      push(r ? number(*r) : unknown(pos, name));
    } else {
      push(unknownFrom({a, b}, pos, name));
    }
    return success();
  };
  auto compare = [&](auto fn) {
    return binary([&](uint32_t a, uint32_t b) -> std::optional<uint32_t> {
      return fn(a, b) ? 0xffffffffu : 0u;
    });
  };
  auto zeroCompare = [&](auto fn) {
    return unary([&](uint32_t a) { return fn(a) ? 0xffffffffu : 0u; });
  };
  auto divide = [&](bool wantQuotient, bool wantRemainder) -> LogicalResult {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    std::optional<uint32_t> q, r;
    if (a.kind == VK::Num && b.kind == VK::Num) {
      if (b.num == 0)
        return fail(pos, formatv("{0}: division by zero", name));
      int64_t x = sgn(a.num), y = sgn(b.num);
      // Floored and symmetric division differ only when the signs differ
      // and the division is inexact: IEEE 1275 leaves it open.
      if (x % y == 0 || (x < 0) == (y < 0)) {
        q = uint32_t(int64_t(x / y));
        r = uint32_t(int64_t(x % y));
      }
    }
    auto out = [&](std::optional<uint32_t> v) {
      push(v ? number(*v) : unknownFrom({a, b}, pos, name));
    };
    if (wantRemainder)
      out(r);
    if (wantQuotient)
      out(q);
    return success();
  };
  auto storeOp = [&](unsigned bytes, bool deviceOrder) -> LogicalResult {
    if (failed(needs(2)))
      return failure();
    Value address = pop(), value = pop();
    return store(pos, name, address, value, bytes, deviceOrder);
  };
  auto loadOp = [&](unsigned bytes, bool deviceOrder,
                    bool signExtend) -> LogicalResult {
    if (failed(needs(1)))
      return failure();
    Value address = pop();
    return load(pos, name, address, bytes, deviceOrder, signExtend);
  };
  auto scaledAdd = [&](uint32_t scale) -> LogicalResult {
    if (failed(needs(2)))
      return failure();
    Value index = pop(), addr = pop();
    if (index.kind != VK::Num) {
      push(unknownFrom({addr, index}, pos, name));
      return success();
    }
    push(add(addr, number(index.num * scale), pos, name));
    return success();
  };
  auto addConstant = [&](uint32_t k) -> LogicalResult {
    if (failed(needs(1)))
      return failure();
    Value v = pop();
    push(add(v, number(k), pos, name));
    return success();
  };
  auto stringNote = [&](StringRef what) -> LogicalResult {
    if (failed(needs(2)))
      return failure();
    Value len = pop(), str = pop();
    if (std::optional<StringRef> s = stringArg(str, len))
      return note(pos, what + " " + quote(uint64_t(str.off), s->size()));
    return note(pos, what + " " + describe(str));
  };
  // Tokens that read memory at `readSlots` and write it at `writeSlots`
  // (stack slots from the top): no device effect in firmware memory, an
  // opaque op otherwise; a variable written becomes unknown.
  auto memoryRange = [&](size_t in, size_t out, ArrayRef<size_t> readSlots,
                         ArrayRef<size_t> writeSlots) -> LogicalResult {
    if (failed(needs(in)))
      return failure();
    bool firmware = true;
    for (size_t slot : llvm::concat<const size_t>(readSlots, writeSlots)) {
      VK k = top(slot).kind;
      firmware &= k == VK::Mem || k == VK::Str || k == VK::Var;
    }
    // The length is not bounded by a cell: a variable's address or an
    // unknown one may reach any variable.
    for (size_t slot : writeSlots) {
      VK k = top(slot).kind;
      if (k != VK::Mem && k != VK::Str && k != VK::Bar)
        clobberVariables(pos, name);
    }
    return firmware ? silent(in, out) : opaqueEffect(in, out);
  };

  switch (n) {
  // Literals.
  case TMinusOne:
    push(number(0xffffffffu));
    return success();
  case TZero:
  case TOne:
  case TTwo:
  case TThree:
    push(number(n - TZero));
    return success();
  case TBl:
    push(number(0x20));
    return success();
  case TBs:
    push(number(0x08));
    return success();
  case TBell:
    push(number(0x07));
    return success();
  case TSlashC:
    push(number(1));
    return success();
  case TChars:
    return unary([](uint32_t a) { return a; });
  case TSlashW:
    push(number(2));
    return success();
  case TSlashL:
  case TSlashN:
    push(number(4));
    return success();

  // Stack.
  case TDrop:
    if (failed(needs(1)))
      return failure();
    pop();
    return success();
  case TDup:
    if (failed(needs(1)))
      return failure();
    push(Value(top(0)));
    return success();
  case TOver:
    if (failed(needs(2)))
      return failure();
    push(Value(top(1)));
    return success();
  case TSwap:
    if (failed(needs(2)))
      return failure();
    std::swap(top(0), top(1));
    return success();
  case TRot: {
    if (failed(needs(3)))
      return failure();
    Value x1 = top(2);
    stack.erase(stack.end() - 3);
    push(x1);
    return success();
  }
  case TMinusRot: {
    if (failed(needs(3)))
      return failure();
    Value x3 = pop();
    stack.insert(stack.end() - 2, x3);
    return success();
  }
  case TTuck: {
    if (failed(needs(2)))
      return failure();
    Value x2 = top(0);
    stack.insert(stack.end() - 2, x2);
    return success();
  }
  case TNip:
    if (failed(needs(2)))
      return failure();
    stack.erase(stack.end() - 2);
    return success();
  case TPick:
  case TRoll: {
    if (failed(needs(1)))
      return failure();
    Value u = pop();
    if (u.kind != VK::Num)
      return stop(pos, name, {u},
                  formatv("{0} with a depth the importer cannot know ({1})",
                          name, describe(u)));
    if (uint64_t(u.num) + 1 > stack.size())
      return fail(pos, formatv("stack underflow: {0} of item {1}, the data "
                               "stack holds {2}",
                               name, u.num, stack.size()));
    Value x = top(u.num);
    if (n == TRoll)
      stack.erase(stack.end() - 1 - u.num);
    push(x);
    return success();
  }
  case TQDup: {
    if (failed(needs(1)))
      return failure();
    if (top(0).kind != VK::Num)
      return stop(pos, name, {Value(top(0))},
                  formatv("?dup of a value the importer cannot know ({0})",
                          describe(top(0))));
    if (top(0).num != 0)
      push(Value(top(0)));
    return success();
  }
  case TDepth:
    // The stack below the program's own values is the firmware's.
    push(unknown(pos, name));
    return success();
  case T2Drop:
    if (failed(needs(2)))
      return failure();
    stack.resize(stack.size() - 2);
    return success();
  case T2Dup:
    if (failed(needs(2)))
      return failure();
    stack.append({Value(top(1)), Value(top(0))});
    return success();
  case T2Over:
    if (failed(needs(4)))
      return failure();
    stack.append({Value(top(3)), Value(top(2))});
    return success();
  case T2Swap:
    if (failed(needs(4)))
      return failure();
    std::rotate(stack.end() - 4, stack.end() - 2, stack.end());
    return success();
  case T2Rot:
    if (failed(needs(6)))
      return failure();
    std::rotate(stack.end() - 6, stack.end() - 4, stack.end());
    return success();
  case TToR: {
    if (failed(needs(1)))
      return failure();
    frames.back().rstack.push_back(pop());
    return success();
  }
  case TRFrom:
  case TRFetch: {
    Frame &f = frames.back();
    if (f.rstack.empty())
      return stop(pos, name, {},
                  formatv("{0} without a matching >r in this definition "
                          "(return-address manipulation is not modelled)",
                          name));
    push(n == TRFrom ? f.rstack.pop_back_val() : f.rstack.back());
    return success();
  }

  // Arithmetic.
  case TPlus: {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    push(add(a, b, pos, name));
    return success();
  }
  case TMinus: {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    push(subtract(a, b, pos, name));
    return success();
  }
  case TAnd:
  case TOr:
  case TXor: {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    push(logic(n, a, b, pos, name));
    return success();
  }
  case TMul:
    return binary([](uint32_t a, uint32_t b) -> std::optional<uint32_t> {
      return a * b;
    });
  case TDiv:
    return divide(true, false);
  case TMod:
    return divide(false, true);
  case TSlashMod:
    return divide(true, true);
  case TUSlashMod: {
    if (failed(needs(2)))
      return failure();
    Value b = pop(), a = pop();
    if (a.kind == VK::Num && b.kind == VK::Num) {
      if (b.num == 0)
        return fail(pos, "u/mod: division by zero");
      push(number(a.num % b.num));
      push(number(a.num / b.num));
    } else {
      push(unknownFrom({a, b}, pos, name));
      push(unknownFrom({a, b}, pos, name));
    }
    return success();
  }
  case TLshift:
  case TRshift:
  case TArshift:
    return binary([n](uint32_t a, uint32_t b) -> std::optional<uint32_t> {
      if (b >= 32)
        return std::nullopt;
      if (n == TLshift)
        return a << b;
      if (n == TRshift)
        return a >> b;
      return uint32_t(sgn(a) >> b);
    });
  case TInvert:
    return unary([](uint32_t a) { return ~a; });
  case TNegate:
    return unary([](uint32_t a) { return 0u - a; });
  case TAbs:
    return unary([](uint32_t a) { return sgn(a) < 0 ? 0u - a : a; });
  case TMin:
    return binary([](uint32_t a, uint32_t b) -> std::optional<uint32_t> {
      return sgn(a) < sgn(b) ? a : b;
    });
  case TMax:
    return binary([](uint32_t a, uint32_t b) -> std::optional<uint32_t> {
      return sgn(a) > sgn(b) ? a : b;
    });
  case T2Mul:
    return unary([](uint32_t a) { return a << 1; });
  case T2Div:
    return unary([](uint32_t a) { return uint32_t(sgn(a) >> 1); });
  case TU2Div:
    return unary([](uint32_t a) { return a >> 1; });
  case TSlashWMul:
    return unary([](uint32_t a) { return a * 2; });
  case TSlashLMul:
  case TCells:
    return unary([](uint32_t a) { return a * 4; });
  case TCharPlus:
    return addConstant(1);
  case TWa1Plus:
    return addConstant(2);
  case TLa1Plus:
  case TCellPlus:
    return addConstant(4);
  case TCaPlus:
    return scaledAdd(1);
  case TWaPlus:
    return scaledAdd(2);
  case TLaPlus:
  case TNaPlus:
    return scaledAdd(4);
  case TAligned:
    return unary([](uint32_t a) { return (a + 3) & ~3u; });
  case TBounds: {
    if (failed(needs(2)))
      return failure();
    Value len = pop(), addr = pop();
    push(add(addr, len, pos, name));
    push(addr);
    return success();
  }

  // Comparisons.
  case TZeroEq:
    return zeroCompare([](uint32_t a) { return a == 0; });
  case TZeroNe:
    return zeroCompare([](uint32_t a) { return a != 0; });
  case TZeroLt:
    return zeroCompare([](uint32_t a) { return sgn(a) < 0; });
  case TZeroLe:
    return zeroCompare([](uint32_t a) { return sgn(a) <= 0; });
  case TZeroGt:
    return zeroCompare([](uint32_t a) { return sgn(a) > 0; });
  case TZeroGe:
    return zeroCompare([](uint32_t a) { return sgn(a) >= 0; });
  case TLt:
    return compare([](uint32_t a, uint32_t b) { return sgn(a) < sgn(b); });
  case TGt:
    return compare([](uint32_t a, uint32_t b) { return sgn(a) > sgn(b); });
  case TEq:
    return compare([](uint32_t a, uint32_t b) { return a == b; });
  case TNe:
    return compare([](uint32_t a, uint32_t b) { return a != b; });
  case TUGt:
    return compare([](uint32_t a, uint32_t b) { return a > b; });
  case TULe:
    return compare([](uint32_t a, uint32_t b) { return a <= b; });
  case TULt:
    return compare([](uint32_t a, uint32_t b) { return a < b; });
  case TUGe:
    return compare([](uint32_t a, uint32_t b) { return a >= b; });
  case TGe:
    return compare([](uint32_t a, uint32_t b) { return sgn(a) >= sgn(b); });
  case TLe:
    return compare([](uint32_t a, uint32_t b) { return sgn(a) <= sgn(b); });
  case TBetween:
  case TWithin: {
    if (failed(needs(3)))
      return failure();
    Value hi = pop(), lo = pop(), x = pop();
    if (x.kind != VK::Num || lo.kind != VK::Num || hi.kind != VK::Num) {
      push(unknownFrom({x, lo, hi}, pos, name));
      return success();
    }
    if (n == TBetween)
      push(flag(sgn(lo.num) <= sgn(x.num) && sgn(x.num) <= sgn(hi.num)));
    else
      push(flag(x.num - lo.num < hi.num - lo.num));
    return success();
  }

  // Packing.
  case TLwsplit: {
    if (failed(needs(1)))
      return failure();
    Value q = pop();
    if (q.kind != VK::Num) {
      push(unknownFrom({q}, pos, name));
      push(unknownFrom({q}, pos, name));
      return success();
    }
    push(number(q.num & 0xffff));
    push(number(q.num >> 16));
    return success();
  }
  case TWbsplit: {
    if (failed(needs(1)))
      return failure();
    Value w = pop();
    if (w.kind != VK::Num) {
      push(unknownFrom({w}, pos, name));
      push(unknownFrom({w}, pos, name));
      return success();
    }
    push(number(w.num & 0xff));
    push(number((w.num >> 8) & 0xff));
    return success();
  }
  case TLbsplit: {
    if (failed(needs(1)))
      return failure();
    Value q = pop();
    for (unsigned i = 0; i < 4; ++i)
      push(q.kind == VK::Num ? number((q.num >> (8 * i)) & 0xff)
                             : unknownFrom({q}, pos, name));
    return success();
  }
  case TWljoin:
    return binary([](uint32_t lo, uint32_t hi) -> std::optional<uint32_t> {
      return (lo & 0xffff) | (hi << 16);
    });
  case TBwjoin:
    return binary([](uint32_t lo, uint32_t hi) -> std::optional<uint32_t> {
      return (lo & 0xff) | ((hi & 0xff) << 8);
    });
  case TBljoin: {
    if (failed(needs(4)))
      return failure();
    SmallVector<Value, 4> b(stack.end() - 4, stack.end());
    stack.resize(stack.size() - 4);
    if (!llvm::all_of(b, [](const Value &v) { return v.kind == VK::Num; })) {
      push(unknownFrom(b, pos, name));
      return success();
    }
    push(number((b[0].num & 0xff) | (b[1].num & 0xff) << 8 |
                (b[2].num & 0xff) << 16 | (b[3].num & 0xff) << 24));
    return success();
  }
  case TWbflip:
    return unary(
        [](uint32_t w) { return ((w & 0xff) << 8) | ((w >> 8) & 0xff); });
  case TLwflip:
    return unary([](uint32_t q) { return (q << 16) | (q >> 16); });
  case TLbflip:
    return unary([](uint32_t q) { return llvm::byteswap(q); });

  // Memory and device registers.
  case TFetch:
  case TLFetch:
    return loadOp(4, false, false);
  case TWFetch:
    return loadOp(2, false, false);
  case TSWFetch:
    return loadOp(2, false, true);
  case TCFetch:
    return loadOp(1, false, false);
  case TStore:
  case TLStore:
    return storeOp(4, false);
  case TWStore:
    return storeOp(2, false);
  case TCStore:
    return storeOp(1, false);
  case TOn:
  case TOff: {
    if (failed(needs(1)))
      return failure();
    Value address = pop();
    return store(pos, name, address, number(n == TOn ? 0xffffffffu : 0), 4,
                 false);
  }
  case TPlusStore: {
    if (failed(needs(2)))
      return failure();
    Value address = pop(), k = pop();
    if (address.kind == VK::Var) {
      Value sum = add(variableValue(address.ref), k, pos, name);
      storeVariable(address, sum, 4, true, pos, name);
      return success();
    }
    if (address.kind == VK::Mem || address.kind == VK::Str)
      return success();
    if (address.kind != VK::Bar)
      clobberVariables(pos, name);
    return opaque(pos, name, {k, address});
  }
  case TRbStore:
    return storeOp(1, true);
  case TRwStore:
    return storeOp(2, true);
  case TRlStore:
    return storeOp(4, true);
  case TRbFetch:
    return loadOp(1, true, false);
  case TRwFetch:
    return loadOp(2, true, false);
  case TRlFetch:
    return loadOp(4, true, false);
  case TRxStore:
    if (failed(needs(2)))
      return failure();
    if (top(0).kind != VK::Bar)
      clobberVariables(pos, name);
    return opaqueEffect(2, 0);
  case TRxFetch:
    return opaqueEffect(1, 1);
  case TCpoke:
  case TWpoke:
  case TLpoke:
    if (failed(needs(2)))
      return failure();
    if (top(0).kind != VK::Bar)
      clobberVariables(pos, name);
    return opaqueEffect(2, 1);
  case TMove:
    return memoryRange(3, 0, {2}, {1});
  case TFill:
    return memoryRange(3, 0, {}, {2});
  case TComp:
    return memoryRange(3, 1, {1, 2}, {});
  case TLbflips:
  case TWbflips:
  case TLwflips:
    return memoryRange(2, 0, {}, {1});
  case TAllocMem:
    if (failed(needs(1)))
      return failure();
    pop();
    push(memValue());
    return success();
  case TFreeMem:
    return silent(2, 0);
  case TCComma:
  case TWComma:
  case TLComma:
  case TComma:
    return silent(1, 0);
  case THere:
  case TBase:
  case TState:
  case TSpan:
  case TNumOut:
  case TNumLine:
    push(memValue());
    return success();

  // Time.
  case TMs: {
    if (failed(needs(1)))
      return failure();
    Value ms = pop();
    if (ms.kind != VK::Num)
      return opaque(pos, name, {ms});
    if (failed(countOp(pos)))
      return failure();
    initseq::DelayOp::create(builder, opLoc(pos), uint64_t(ms.num) * 1000000u,
                             int64_t(pos));
    return success();
  }
  case TGetMsecs:
  case TFcodeRevision:
  case TMySelf:
  case TMyParent:
    push(unknown(pos, name));
    return success();

  // The device's address (PCI bus binding).
  case TMySpace: {
    Value v;
    v.kind = VK::MySpace;
    push(v);
    return success();
  }
  case TMyAddress:
  case TMyUnit: {
    // A PCI function's unit address is phys.hi only: phys.lo = phys.mid = 0.
    push(number(0));
    push(number(0));
    if (n == TMyUnit) {
      Value v;
      v.kind = VK::MySpace;
      push(v);
    }
    return success();
  }
  case TMyArgs:
    return silent(0, 2);
  case TMapLow:
    return opaqueEffect(3, 1);
  case TCallParent:
    return callParent(pos);
  case TCallMethod: {
    if (failed(needs(3)))
      return failure();
    Value len = top(1), str = top(2);
    std::optional<StringRef> method = stringArg(str, len);
    return stop(pos,
                method ? ("$call-method " + *method).str() : "$call-method", {},
                "$call-method of another package's method is not modelled");
  }

  // Device tree: recorded as notes, values not tracked.
  case TDeviceName:
    return stringNote("device-name");
  case TDeviceType:
    return stringNote("device-type");
  case TModel:
    return stringNote("model");
  case TProperty: {
    if (failed(needs(4)))
      return failure();
    Value len = pop(), str = pop();
    stack.resize(stack.size() - 2);
    if (std::optional<StringRef> s = stringArg(str, len))
      return note(pos, "property " + quote(uint64_t(str.off), s->size()));
    return note(pos, "property " + describe(str));
  }
  case TDeleteProperty: {
    if (failed(needs(2)))
      return failure();
    return stringNote("delete-property");
  }
  case TReg: {
    // ( phys.lo phys.mid phys.hi size -- ) under a PCI parent.
    if (failed(needs(4)))
      return failure();
    SmallVector<Value, 4> in(stack.end() - 4, stack.end());
    stack.resize(stack.size() - 4);
    return note(pos,
                formatv("reg {0} {1} {2} {3}", describe(in[0]), describe(in[1]),
                        describe(in[2]), describe(in[3])));
  }
  case TNewDevice:
  case TFinishDevice:
    return note(pos, name);
  case TIsInstall:
  case TIsRemove:
  case TIsSelftest: {
    if (failed(needs(1)))
      return failure();
    Value xt = pop();
    return note(pos, name + " " + describe(xt));
  }
  case TEncodeInt:
    return silent(1, 2);
  case TEncodePlus:
    return silent(4, 2);
  case TEncodePhys:
    return silent(3, 2);
  case TEncodeString:
  case TEncodeBytes:
    return silent(2, 2);
  case TDecodeInt:
    return silent(2, 3);
  case TDecodeString:
    return silent(2, 4);

  // Console output: no device effect.
  case TEmit:
  case TDot:
  case TUDot:
    return silent(1, 0);
  case TType:
  case TDotR:
  case TUDotR:
    return silent(2, 0);
  case TCr:
  case TParenCr:
  case TDotS:
    return success();

  default:
    return stop(pos, name, {number(n)},
                formatv("{0} ({1}) is not modelled", name, hex(n)));
  }
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

LogicalResult FCodeImporter::run() {
  if (failed(findProgram()) || failed(decode()))
    return failure();
  LogicalResult result = evaluate();

  Builder b(module.getContext());
  SmallVector<NamedAttribute> extra = {
      b.getNamedAttr("fcode_offset", b.getI64IntegerAttr(int64_t(headerPos))),
      b.getNamedAttr("start", b.getStringAttr(standardName(startToken))),
      b.getNamedAttr("format", b.getI64IntegerAttr(format)),
      b.getNamedAttr("checksum", b.getI64IntegerAttr(storedChecksum)),
      b.getNamedAttr("checksum_ok",
                     b.getBoolAttr(storedChecksum == computedChecksum)),
      b.getNamedAttr("length", b.getI64IntegerAttr(length)),
      b.getNamedAttr("tokens", b.getI64IntegerAttr(int64_t(tokens.size()))),
      b.getNamedAttr("steps", b.getI64IntegerAttr(int64_t(steps))),
      b.getNamedAttr("evaluation", b.getStringAttr(failed(result) ? "failed"
                                                   : stoppedAt    ? "stopped"
                                                               : "complete"))};
  if (stoppedAt)
    extra.push_back(
        b.getNamedAttr("stopped_at", b.getI64IntegerAttr(int64_t(*stoppedAt))));
  initseq::SequenceOp seq = ctx.createSequence("fcode", "fcode", extra);
  if (failed(result))
    seq.setIncomplete(true);
  Block &body = seq.getBodyBlock();
  body.getOperations().splice(body.getTerminator()->getIterator(),
                              scratch.getOperations());
  return result;
}

} // namespace

LogicalResult gpuinit::rom::importFCode(const ImageImportContext &ctx) {
  return FCodeImporter(ctx).run();
}
