//===- DeviceTest.cpp - the kernel runtime: devices, launch descriptions --===//
//
// The device interface on the CPU backend (kernels from DeviceTestKernels.c),
// the CUDA backend's absence message, the Vulkan backend when a device is
// there (SPIR-V built from test/Runtime/Kernel/Inputs/vecadd.comp), the JSON
// launch description, element encoding, and the SPIR-V interface reader.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/Device.h"
#include "gpuinit/Runtime/LaunchDesc.h"
#include "gpuinit/Runtime/SpirvInfo.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include <dlfcn.h>

#ifdef GPUINIT_TEST_HAVE_SPIRV
#include "DeviceTestVecAdd.h"
#endif

using namespace gpuinit::runtime;

namespace {

template <typename T> std::vector<uint8_t> bytesOf(const std::vector<T> &v) {
  std::vector<uint8_t> out(v.size() * sizeof(T));
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

template <typename T> std::vector<T> valuesOf(const std::vector<uint8_t> &b) {
  std::vector<T> out(b.size() / sizeof(T));
  std::memcpy(out.data(), b.data(), out.size() * sizeof(T));
  return out;
}

//===----------------------------------------------------------------------===//
// Names and formats
//===----------------------------------------------------------------------===//

TEST(Device, KindNames) {
  for (DeviceKind k : {DeviceKind::Vulkan, DeviceKind::Cuda, DeviceKind::Cpu}) {
    absl::StatusOr<DeviceKind> back = parseDeviceKind(deviceKindName(k));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, k);
  }
  absl::StatusOr<DeviceKind> bad = parseDeviceKind("metal");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown device 'metal' (expected vulkan, cuda or cpu)");
}

TEST(Device, DetectModuleFormat) {
  std::vector<uint8_t> spirv = {0x03, 0x02, 0x23, 0x07, 0, 0, 1, 0};
  EXPECT_EQ(*detectModuleFormat(spirv, "x.bin"), ModuleFormat::Spirv);
  std::vector<uint8_t> fatbin = {0x50, 0xed, 0x55, 0xba, 1, 0};
  EXPECT_EQ(*detectModuleFormat(fatbin, "x"), ModuleFormat::Cubin);
  std::vector<uint8_t> elf(64, 0);
  elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F';
  elf[16] = 2, elf[18] = 190; // ET_EXEC, EM_CUDA
  EXPECT_EQ(*detectModuleFormat(elf, "k"), ModuleFormat::Cubin);
  elf[16] = 3, elf[18] = 62; // ET_DYN, EM_X86_64
  EXPECT_EQ(*detectModuleFormat(elf, "k"), ModuleFormat::SharedObject);
  std::string ptx = "//\n.version 8.0\n.target sm_90\n";
  EXPECT_EQ(*detectModuleFormat(std::vector<uint8_t>(ptx.begin(), ptx.end()),
                                "kernel"),
            ModuleFormat::Ptx);
  std::vector<uint8_t> text = {'h', 'i'};
  EXPECT_EQ(*detectModuleFormat(text, "a.spv"), ModuleFormat::Spirv);
  EXPECT_EQ(*detectModuleFormat(text, "a.ptx"), ModuleFormat::Ptx);
  EXPECT_EQ(*detectModuleFormat(text, "a.fatbin"), ModuleFormat::Cubin);
  EXPECT_EQ(*detectModuleFormat(text, "a.so"), ModuleFormat::SharedObject);
  EXPECT_FALSE(detectModuleFormat(text, "a.txt").ok());
}

//===----------------------------------------------------------------------===//
// Elements
//===----------------------------------------------------------------------===//

TEST(Elements, HalfRoundTripsEveryValue) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    float f = halfToFloat(uint16_t(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(f)))) << h;
      continue;
    }
    EXPECT_EQ(floatToHalf(f), h) << "half 0x" << std::hex << h;
  }
}

TEST(Elements, HalfRoundsToNearestEven) {
  EXPECT_EQ(floatToHalf(1.0f + 0x1p-11f), 0x3c00);     // tie, even below
  EXPECT_EQ(floatToHalf(1.0f + 3 * 0x1p-11f), 0x3c02); // tie, even above
  EXPECT_EQ(floatToHalf(1.0f + 0x1p-11f + 0x1p-20f), 0x3c01);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // tie with infinity
  EXPECT_EQ(floatToHalf(0x1p-24f), 0x0001);
  EXPECT_EQ(floatToHalf(0x1p-25f), 0x0000); // tie, even
  EXPECT_EQ(floatToHalf(1.5f * 0x1p-25f), 0x0001);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(-INFINITY), 0xfc00);
}

TEST(Elements, Format) {
  uint8_t b[8];
  ASSERT_TRUE(encodeElement(ElementType::F32, 1e6, b).ok());
  EXPECT_EQ(formatElement(ElementType::F32, b), "1000000");
  ASSERT_TRUE(encodeElement(ElementType::F32, 0.1, b).ok());
  EXPECT_EQ(formatElement(ElementType::F32, b), "0.1");
  ASSERT_TRUE(encodeElement(ElementType::F32, 1e20, b).ok());
  EXPECT_EQ(formatElement(ElementType::F32, b), "1e+20");
  ASSERT_TRUE(encodeElement(ElementType::F64, -2.5e-7, b).ok());
  EXPECT_EQ(formatElement(ElementType::F64, b), "-2.5e-07");
  ASSERT_TRUE(encodeElement(ElementType::F16, 0.1, b).ok());
  EXPECT_EQ(formatElement(ElementType::F16, b), "0.099975586");
  ASSERT_TRUE(encodeElement(ElementType::F32, NAN, b).ok());
  EXPECT_EQ(formatElement(ElementType::F32, b), "nan");
  ASSERT_TRUE(encodeElement(ElementType::F64, -INFINITY, b).ok());
  EXPECT_EQ(formatElement(ElementType::F64, b), "-inf");
  ASSERT_TRUE(encodeElement(ElementType::I8, -128, b).ok());
  EXPECT_EQ(formatElement(ElementType::I8, b), "-128");
  ASSERT_TRUE(encodeInteger(ElementType::U64, -1, true, b).ok());
  EXPECT_EQ(formatElement(ElementType::U64, b), "18446744073709551615");
  EXPECT_FALSE(encodeElement(ElementType::U8, 256, b).ok());
  EXPECT_FALSE(encodeElement(ElementType::I16, 0.5, b).ok());
  EXPECT_FALSE(encodeInteger(ElementType::U32, -1, false, b).ok());
  EXPECT_EQ(encodeElement(ElementType::I8, 128, b).message(),
            "128 does not fit i8");
}

//===----------------------------------------------------------------------===//
// Launch descriptions
//===----------------------------------------------------------------------===//

absl::StatusOr<LaunchDesc> parse(const std::string &json) {
  return parseLaunchDesc(json, "t.json");
}

std::string parseError(const std::string &json) {
  absl::StatusOr<LaunchDesc> d = parse(json);
  EXPECT_FALSE(d.ok()) << json;
  return d.ok() ? "" : std::string(d.status().message());
}

TEST(LaunchDesc, ParsesTheDocumentedExample) {
  // The example of docs/Runtime.md.
  absl::StatusOr<LaunchDesc> d = parse(R"({
    "kernel": "saxpy",
    "grid": [8, 1, 1],
    "block": 128,
    "shared_bytes": 0,
    "args": [
      {"name": "x", "buffer": "f32", "count": 1000, "fill": {"start": 0, "step": 1}},
      {"name": "y", "buffer": "f32", "count": 1000, "fill": 0.5, "print": true,
       "expect": {"fill": {"start": 0.5, "step": 2.5}}},
      {"name": "alpha", "scalar": "f32", "value": 2.5},
      {"name": "n", "scalar": "u32", "value": 1000}
    ]
  })");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->kernel, "saxpy");
  EXPECT_EQ(d->grid.x, 8u);
  EXPECT_EQ(d->grid.count(), 8u);
  EXPECT_EQ(d->block.x, 128u);
  EXPECT_EQ(d->block.y, 1u);
  ASSERT_EQ(d->args.size(), 4u);
  const LaunchArg &x = d->args[0];
  EXPECT_EQ(x.kind, LaunchArg::Kind::Buffer);
  EXPECT_EQ(x.count(), 1000u);
  EXPECT_EQ(valuesOf<float>(x.bytes)[999], 999.0f);
  const LaunchArg &y = d->args[1];
  EXPECT_TRUE(y.print);
  ASSERT_TRUE(y.expect.has_value());
  EXPECT_EQ(valuesOf<float>(y.expect->bytes)[2], 5.5f);
  EXPECT_EQ(d->args[2].kind, LaunchArg::Kind::Scalar);
  EXPECT_EQ(valuesOf<float>(d->args[2].bytes), std::vector<float>{2.5f});
  EXPECT_EQ(valuesOf<uint32_t>(d->args[3].bytes), std::vector<uint32_t>{1000});
}

TEST(LaunchDesc, Defaults) {
  absl::StatusOr<LaunchDesc> d = parse(
      R"({"kernel": "k", "grid": 3, "args": [{"buffer": "i32", "count": 2}]})");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->block.count(), 1u);
  EXPECT_EQ(d->sharedBytes, 0u);
  EXPECT_EQ(d->args[0].name, "arg0");
  EXPECT_FALSE(d->args[0].print);
  EXPECT_EQ(valuesOf<int32_t>(d->args[0].bytes), (std::vector<int32_t>{0, 0}));
}

TEST(LaunchDesc, Contents) {
  absl::StatusOr<LaunchDesc> d = parse(R"({"kernel": "k", "grid": 1, "args": [
    {"buffer": "u8", "data": [1, "0xff", "7"], "count": 5, "fill": 9},
    {"buffer": "i64", "data": ["-9007199254740993", "0x8000000000000000"]},
    {"buffer": "u64", "data": ["18446744073709551615"]},
    {"buffer": "f32", "data": ["nan", "-inf", "0x3f800000", 0.5]},
    {"buffer": "f16", "data": [1, 0.5, 65504]},
    {"buffer": "i16", "count": 4, "fill": {"start": -2, "step": 3}},
    {"buffer": "u32", "count": 64, "fill": {"random": 7, "min": 10, "max": 12}},
    {"buffer": "f64", "count": 64, "fill": {"random": 7}}
  ]})");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->args[0].bytes, (std::vector<uint8_t>{1, 255, 7, 9, 9}));
  std::vector<int64_t> i64 = valuesOf<int64_t>(d->args[1].bytes);
  EXPECT_EQ(i64[0], -9007199254740993LL); // exact past 2^53
  EXPECT_EQ(uint64_t(i64[1]), 0x8000000000000000ull);
  EXPECT_EQ(valuesOf<uint64_t>(d->args[2].bytes)[0], ~uint64_t(0));
  std::vector<float> f = valuesOf<float>(d->args[3].bytes);
  EXPECT_TRUE(std::isnan(f[0]));
  EXPECT_EQ(f[1], -INFINITY);
  EXPECT_EQ(f[2], 1.0f);
  EXPECT_EQ(f[3], 0.5f);
  EXPECT_EQ(valuesOf<uint16_t>(d->args[4].bytes),
            (std::vector<uint16_t>{0x3c00, 0x3800, 0x7bff}));
  EXPECT_EQ(valuesOf<int16_t>(d->args[5].bytes),
            (std::vector<int16_t>{-2, 1, 4, 7}));
  std::vector<uint32_t> r = valuesOf<uint32_t>(d->args[6].bytes);
  std::set<uint32_t> seen(r.begin(), r.end());
  EXPECT_EQ(seen, (std::set<uint32_t>{10, 11, 12}));
  for (double v : valuesOf<double>(d->args[7].bytes)) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
  // The same seed gives the same data.
  absl::StatusOr<LaunchDesc> again =
      parse(R"({"kernel": "k", "grid": 1, "args": [
    {"buffer": "f64", "count": 64, "fill": {"random": 7}}]})");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->args[0].bytes, d->args[7].bytes);
}

TEST(LaunchDesc, FileRelativeToTheDescription) {
  std::string dir = ::testing::TempDir();
  {
    std::ofstream out(dir + "/launch-input.bin", std::ios::binary);
    uint16_t v[3] = {1, 2, 0xffff};
    out.write(reinterpret_cast<const char *>(v), sizeof(v));
  }
  {
    std::ofstream out(dir + "/launch.json");
    out << R"({"kernel": "k", "grid": 1,
               "args": [{"buffer": "u16", "file": "launch-input.bin"}]})";
  }
  absl::StatusOr<LaunchDesc> d = loadLaunchDesc(dir + "/launch.json");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(valuesOf<uint16_t>(d->args[0].bytes),
            (std::vector<uint16_t>{1, 2, 0xffff}));
  std::remove((dir + "/launch-input.bin").c_str());
  std::remove((dir + "/launch.json").c_str());
}

TEST(LaunchDesc, Errors) {
  EXPECT_EQ(parseError("[1, 2]"), "t.json: (top): expected an object");
  EXPECT_EQ(parseError(R"({"grid": 1})"),
            "t.json: kernel: expected the kernel's name (a non-empty string)");
  EXPECT_EQ(parseError(R"({"kernel": "k"})"),
            "t.json: grid: missing (number of workgroups: n or [x, y, z])");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": [1, 0]})"),
            "t.json: grid: every dimension must be at least 1");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": [1, 2, 3, 4]})"),
            "t.json: grid: expected a number or a list of 1 to 3 numbers");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1, "blocks": 2})"),
            "t.json: (top): unknown key 'blocks' (expected one of: kernel, "
            "grid, block, shared_bytes, args)");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1, "args": [{"count": 1}]})"),
            "t.json: args[0]: needs exactly one of \"buffer\": <element type> "
            "or \"scalar\": <type>");
  EXPECT_EQ(
      parseError(R"({"kernel": "k", "grid": 1, "args": [{"buffer": "f32"}]})"),
      "t.json: args[0]: needs \"data\", \"count\" or \"file\"");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "i8", "data": [1, 2.5]}]})"),
            "t.json: args[0].data[1]: 2.5 is not an integer (element type i8)");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "f32", "data": ["1.5x"]}]})"),
            "t.json: args[0].data[0]: bad number '1.5x'");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "u8", "data": ["0x100"]}]})"),
            "t.json: args[0].data[0]: 0x100 has more than 8 bits");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "f32", "count": 2, "fill": [1]}]})"),
            "t.json: args[0].fill: expected a value, {\"start\", \"step\"} or "
            "{\"random\", \"min\", \"max\"}");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "f32", "count": 2,
                                     "fill": {"start": 1, "stride": 2}}]})"),
            "t.json: args[0].fill: unknown key 'stride' (expected one of: "
            "start, step)");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"scalar": "u32"}]})"),
            "t.json: args[0]: a scalar needs \"value\"");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"scalar": "u32", "value": 1, "print": true}]})"),
            "t.json: args[0]: unknown key 'print' (expected one of: name, "
            "scalar, value)");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"name": "a", "buffer": "u8", "count": 1},
                                    {"name": "a", "scalar": "u32", "value": 1}]})"),
            "t.json: args[1].name: 'a' names two arguments");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "u8", "count": 2, "expect": [1]}]})"),
            "t.json: args[0].expect: 1 expected values for a buffer of 2 "
            "elements");
  EXPECT_EQ(
      parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "u8", "count": 1,
                                     "expect": {"data": [1], "atol": 1}}]})"),
      "t.json: args[0].expect.atol: tolerances apply to float buffers only");
  EXPECT_EQ(parseError(R"({"kernel": "k", "grid": 1,
                           "args": [{"buffer": "u8", "file": "/nonexistent/x"}]})"),
            "t.json: args[0].file: cannot open /nonexistent/x: No such file or "
            "directory");
}

TEST(LaunchDesc, CompareBuffer) {
  absl::StatusOr<LaunchDesc> d = parse(R"({"kernel": "k", "grid": 1, "args": [
    {"name": "f", "buffer": "f32", "count": 4,
     "expect": {"data": [1, 2, "nan", 100], "atol": 0.5, "rtol": 0.01}},
    {"name": "u", "buffer": "u32", "count": 3, "expect": [1, 2, 3]}
  ]})");
  ASSERT_TRUE(d.ok()) << d.status();
  uint64_t total = 0;
  std::vector<uint8_t> good = bytesOf<float>({1.4f, 2.0f, NAN, 101.4f});
  EXPECT_TRUE(compareBuffer(d->args[0], good, total).empty());
  EXPECT_EQ(total, 0u);
  std::vector<uint8_t> bad = bytesOf<float>({1.6f, 2.0f, 3.0f, 102.0f});
  std::vector<Mismatch> m = compareBuffer(d->args[0], bad, total, 2);
  EXPECT_EQ(total, 3u);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].index, 0u);
  EXPECT_EQ(m[0].got, "1.6");
  EXPECT_EQ(m[0].want, "1");
  EXPECT_EQ(m[1].index, 2u);
  EXPECT_EQ(m[1].want, "nan");
  std::vector<uint8_t> ints = bytesOf<uint32_t>({1, 2, 4});
  m = compareBuffer(d->args[1], ints, total);
  EXPECT_EQ(total, 1u);
  EXPECT_EQ(m[0].got, "4");
}

//===----------------------------------------------------------------------===//
// SPIR-V interface
//===----------------------------------------------------------------------===//

/// A SPIR-V module built word by word.
struct SpirvBuilder {
  std::vector<uint32_t> words;
  explicit SpirvBuilder(uint32_t version)
      : words{0x07230203, version, 0, 100, 0} {}
  void op(uint32_t opcode, std::vector<uint32_t> operands) {
    words.push_back(uint32_t(operands.size() + 1) << 16 | opcode);
    words.insert(words.end(), operands.begin(), operands.end());
  }
  static std::vector<uint32_t> str(const std::string &s) {
    std::vector<uint32_t> out(s.size() / 4 + 1, 0);
    std::memcpy(out.data(), s.data(), s.size());
    return out;
  }
  std::vector<uint8_t> bytes() const { return bytesOf(words); }
};

/// Two entry points; a storage buffer (StorageBuffer class) at binding 0, a
/// BufferBlock one (Uniform class) at binding 1, a uniform buffer at binding
/// 3, and a 16-byte push-constant block {f32 at 0, i64 at 8}.
std::vector<uint8_t> testModule(uint32_t version) {
  SpirvBuilder b(version);
  b.op(17, {1});    // OpCapability Shader
  b.op(14, {0, 1}); // OpMemoryModel Logical GLSL450
  std::vector<uint32_t> main = {5, 1};
  for (uint32_t w : SpirvBuilder::str("main"))
    main.push_back(w);
  main.insert(main.end(), {11, 12}); // interface: storage buffer, push block
  b.op(15, main);
  std::vector<uint32_t> other = {5, 2};
  for (uint32_t w : SpirvBuilder::str("other"))
    other.push_back(w);
  b.op(15, other);
  b.op(16, {1, 17, 64, 2, 1}); // LocalSize 64 2 1
  b.op(71, {10, 34, 0});       // %10 DescriptorSet 0
  b.op(71, {10, 33, 1});       // %10 Binding 1
  b.op(71, {11, 34, 0});
  b.op(71, {11, 33, 0});
  b.op(71, {13, 34, 0});
  b.op(71, {13, 33, 3});
  b.op(71, {20, 2});        // push struct: Block
  b.op(72, {20, 0, 35, 0}); // member 0 Offset 0
  b.op(72, {20, 1, 35, 8}); // member 1 Offset 8
  b.op(71, {30, 3});        // %30 BufferBlock
  b.op(71, {33, 2});        // %33 Block
  b.op(22, {40, 32});       // %40 f32
  b.op(21, {41, 64, 0});    // %41 u64
  b.op(30, {20, 40, 41});   // %20 struct {f32, u64}
  b.op(30, {30, 40});       // %30 struct {f32}
  b.op(30, {33, 40});       // %33 struct {f32}
  b.op(32, {31, 2, 30});    // %31 ptr Uniform %30
  b.op(32, {32, 12, 30});   // %32 ptr StorageBuffer %30
  b.op(32, {21, 9, 20});    // %21 ptr PushConstant %20
  b.op(32, {34, 2, 33});    // %34 ptr Uniform %33
  b.op(59, {31, 10, 2});    // %10 var Uniform (BufferBlock: storage)
  b.op(59, {32, 11, 12});   // %11 var StorageBuffer
  b.op(59, {21, 12, 9});    // %12 var PushConstant
  b.op(59, {34, 13, 2});    // %13 var Uniform (Block: uniform)
  return b.bytes();
}

TEST(SpirvInfo, ReadsTheInterface) {
  absl::StatusOr<SpirvInfo> info = readSpirvInfo(testModule(0x00010000));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->entryPointList(), "main, other");
  EXPECT_EQ(info->findCompute("nope"), nullptr);
  const SpirvEntryPoint *main = info->findCompute("main");
  ASSERT_NE(main, nullptr);
  ASSERT_TRUE(main->localSize.has_value());
  EXPECT_EQ(*main->localSize, (std::array<uint32_t, 3>{64, 2, 1}));
  // Before SPIR-V 1.4, without function bodies to look into, every binding
  // of the module counts.
  ASSERT_EQ(main->bindings.size(), 3u);
  EXPECT_EQ(main->bindings[0].binding, 0u);
  EXPECT_EQ(main->bindings[0].kind, SpirvBindingKind::StorageBuffer);
  EXPECT_EQ(main->bindings[1].binding, 1u);
  EXPECT_EQ(main->bindings[1].kind, SpirvBindingKind::StorageBuffer);
  EXPECT_EQ(main->bindings[2].binding, 3u);
  EXPECT_EQ(main->bindings[2].kind, SpirvBindingKind::UniformBuffer);
  EXPECT_TRUE(main->hasPushConstants);
  EXPECT_EQ(main->pushConstantBytes, std::optional<uint32_t>(16));
  EXPECT_FALSE(info->findCompute("other")->localSize.has_value());
}

TEST(SpirvInfo, BindingsAnEntryPointReachesBefore14) {
  // Two kernels in one SPIR-V 1.3 module, as convert-gpu-to-spirv emits
  // them: "main" reads %11 (binding 0) and calls %3, which reads %13
  // (binding 3); "other" reads %10 (binding 1). Each gets only its own.
  std::vector<uint8_t> base = testModule(0x00010300);
  std::vector<uint32_t> words(base.size() / 4);
  std::memcpy(words.data(), base.data(), base.size());
  SpirvBuilder b(0x00010300);
  b.words = words;
  b.op(19, {50});              // %50 void
  b.op(33, {51, 50});          // %51 fn type void()
  b.op(54, {50, 3, 0, 51});    // %3 = OpFunction
  b.op(248, {52});             // OpLabel
  b.op(61, {40, 53, 13});      // OpLoad %53 from %13 (binding 3)
  b.op(253, {});               // OpReturn
  b.op(56, {});                // OpFunctionEnd
  b.op(54, {50, 1, 0, 51});    // %1 = OpFunction (main)
  b.op(248, {54});
  b.op(61, {40, 55, 11});      // OpLoad from %11 (binding 0)
  b.op(57, {50, 56, 3});       // OpFunctionCall %3
  b.op(253, {});
  b.op(56, {});
  b.op(54, {50, 2, 0, 51});    // %2 = OpFunction (other)
  b.op(248, {57});
  b.op(61, {40, 58, 10});      // OpLoad from %10 (binding 1)
  b.op(253, {});
  b.op(56, {});
  absl::StatusOr<SpirvInfo> info = readSpirvInfo(b.bytes());
  ASSERT_TRUE(info.ok()) << info.status();
  const SpirvEntryPoint *main = info->findCompute("main");
  ASSERT_EQ(main->bindings.size(), 2u);
  EXPECT_EQ(main->bindings[0].binding, 0u);
  EXPECT_EQ(main->bindings[1].binding, 3u);
  EXPECT_TRUE(main->hasPushConstants); // %12 is in main's interface list
  const SpirvEntryPoint *other = info->findCompute("other");
  ASSERT_EQ(other->bindings.size(), 1u);
  EXPECT_EQ(other->bindings[0].binding, 1u);
  EXPECT_FALSE(other->hasPushConstants);
}

TEST(SpirvInfo, InterfaceListFromVersion14) {
  absl::StatusOr<SpirvInfo> info = readSpirvInfo(testModule(0x00010400));
  ASSERT_TRUE(info.ok()) << info.status();
  const SpirvEntryPoint *main = info->findCompute("main");
  ASSERT_EQ(main->bindings.size(), 1u);
  EXPECT_EQ(main->bindings[0].variable, 11u);
  EXPECT_TRUE(main->hasPushConstants);
  const SpirvEntryPoint *other = info->findCompute("other");
  EXPECT_TRUE(other->bindings.empty());
  EXPECT_FALSE(other->hasPushConstants);
}

TEST(SpirvInfo, SubgroupSizeAndCapabilities) {
  // testModule's entry points "main" and "other", then gpuinit's notes.
  auto module = [](std::vector<std::string> notes) {
    std::vector<uint8_t> base = testModule(0x00010300);
    SpirvBuilder b(0x00010300);
    b.words.resize(base.size() / 4);
    std::memcpy(b.words.data(), base.data(), base.size());
    b.op(17, {6033}); // OpCapability AtomicFloat32AddEXT
    for (const std::string &note : notes)
      b.op(4, SpirvBuilder::str(note)); // OpSourceExtension
    return b.bytes();
  };
  absl::StatusOr<SpirvInfo> info = readSpirvInfo(
      module({"gpuinit.subgroup-size min 16 max 32 entry main"}));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->findCompute("main")->minSubgroupSize, 16u);
  EXPECT_EQ(info->findCompute("main")->maxSubgroupSize, 32u);
  EXPECT_EQ(info->findCompute("other")->minSubgroupSize, 1u);
  EXPECT_EQ(info->findCompute("other")->maxSubgroupSize, 0u);
  EXPECT_NE(std::find(info->capabilities.begin(), info->capabilities.end(),
                      6033u),
            info->capabilities.end());
  // Without an entry: every entry point. Other source extensions are
  // someone else's.
  info = readSpirvInfo(
      module({"GL_EXT_something", "gpuinit.subgroup-size min 8 max 0"}));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->findCompute("main")->minSubgroupSize, 8u);
  EXPECT_EQ(info->findCompute("other")->minSubgroupSize, 8u);
  EXPECT_EQ(info->findCompute("other")->maxSubgroupSize, 0u);
  for (const char *bad :
       {"gpuinit.subgroup-size min 0 max 0", "gpuinit.subgroup-size min 64 max 32",
        "gpuinit.subgroup-size min 8", "gpuinit.subgroup-size min 8 max 0 x",
        "gpuinit.subgroup-size min 8 max 0 entry "}) {
    info = readSpirvInfo(module({bad}));
    ASSERT_FALSE(info.ok()) << bad;
    EXPECT_NE(std::string(info.status().message())
                  .find("malformed \"" + std::string(bad) + "\""),
              std::string::npos)
        << info.status();
  }
  info = readSpirvInfo(
      module({"gpuinit.subgroup-size min 8 max 0 entry nope"}));
  ASSERT_FALSE(info.ok());
  EXPECT_NE(std::string(info.status().message()).find("names no entry point"),
            std::string::npos)
      << info.status();
}

TEST(SpirvInfo, Errors) {
  auto message = [](const std::vector<uint8_t> &bytes) {
    absl::StatusOr<SpirvInfo> info = readSpirvInfo(bytes);
    EXPECT_FALSE(info.ok());
    return info.ok() ? std::string() : std::string(info.status().message());
  };
  EXPECT_EQ(message({1, 2, 3}),
            "invalid SPIR-V module: size 3 bytes is not a multiple of 4");
  EXPECT_EQ(
      message(bytesOf<uint32_t>({0x07230203, 0x00010000})),
      "invalid SPIR-V module: 8 bytes is shorter than the 20-byte header");
  EXPECT_EQ(message(bytesOf<uint32_t>({0xdeadbeef, 0x00010000, 0, 1, 0})),
            "invalid SPIR-V module: bad magic number 0xdeadbeef (expected "
            "0x07230203)");
  EXPECT_EQ(message(bytesOf<uint32_t>({0x03022307, 0x00010000, 0, 1, 0})),
            "invalid SPIR-V module: words are byte-swapped (big-endian "
            "module); convert it to the host's byte order");
  EXPECT_EQ(
      message(bytesOf<uint32_t>({0x07230203, 0x00020000, 0, 1, 0})),
      "invalid SPIR-V module: unknown version word 0x00020000 (at word 1)");
  EXPECT_EQ(message(bytesOf<uint32_t>({0x07230203, 0x00010000, 0, 1, 0, 17})),
            "invalid SPIR-V module: instruction (opcode 17) has a word count "
            "of 0 (at word 5)");
  EXPECT_EQ(message(bytesOf<uint32_t>(
                {0x07230203, 0x00010000, 0, 1, 0, 3u << 16 | 17, 1})),
            "invalid SPIR-V module: instruction (opcode 17) of 3 words runs "
            "past the end of the module (7 words) (at word 5)");
  EXPECT_EQ(message(bytesOf<uint32_t>(
                {0x07230203, 0x00010000, 0, 1, 0, 3u << 16 | 15, 5, 1})),
            "invalid SPIR-V module: instruction (opcode 15) has 2 operands, "
            "needs 3 (at word 5)");
  std::vector<uint32_t> unterminated = {
      0x07230203, 0x00010000, 0, 1, 0, 4u << 16 | 15, 5, 1, 0x6e69616d};
  EXPECT_EQ(message(bytesOf(unterminated)),
            "invalid SPIR-V module: OpEntryPoint name is not terminated (at "
            "word 5)");
}

//===----------------------------------------------------------------------===//
// CPU device
//===----------------------------------------------------------------------===//

std::unique_ptr<Device> openCpu(unsigned threads = 0) {
  DeviceOptions options;
  options.cpuThreads = threads;
  absl::StatusOr<std::unique_ptr<Device>> d =
      Device::open(DeviceKind::Cpu, options);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? std::move(*d) : nullptr;
}

std::unique_ptr<Module> loadKernels(Device &device) {
  absl::StatusOr<std::unique_ptr<Module>> m =
      device.loadModuleFile(GPUINIT_TEST_CPU_KERNELS);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? std::move(*m) : nullptr;
}

TEST(CpuDevice, Buffers) {
  std::unique_ptr<Device> dev = openCpu();
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->kind(), DeviceKind::Cpu);
  EXPECT_EQ(dev->label().rfind("cpu (host", 0), 0u) << dev->label();
  absl::StatusOr<std::unique_ptr<Buffer>> b = dev->createBuffer(16);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->size(), 16u);
  std::vector<uint8_t> out(16, 0xff);
  ASSERT_TRUE(dev->download(**b, absl::MakeSpan(out)).ok());
  EXPECT_EQ(out, std::vector<uint8_t>(16, 0)); // zeroed
  std::vector<uint8_t> in = {1, 2, 3, 4};
  ASSERT_TRUE(dev->upload(**b, in, 12).ok());
  std::vector<uint8_t> tail(4);
  ASSERT_TRUE(dev->download(**b, absl::MakeSpan(tail), 12).ok());
  EXPECT_EQ(tail, in);
  absl::Status s = dev->upload(**b, in, 13);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(s.message(), dev->label() + ": upload: 4 bytes at offset 13 do not "
                                        "fit the 16-byte buffer");
  s = dev->download(**b, absl::MakeSpan(tail), 17);
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  // An empty buffer is a buffer.
  absl::StatusOr<std::unique_ptr<Buffer>> empty = dev->createBuffer(0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(dev->upload(**empty, {}).ok());
  // Buffers of another device are refused.
  std::unique_ptr<Device> other = openCpu();
  s = other->upload(**b, in);
  EXPECT_EQ(s.message(),
            other->label() + ": upload: the buffer belongs to another device");
}

TEST(CpuDevice, DispatchAndTimes) {
  std::unique_ptr<Device> dev = openCpu(3);
  ASSERT_TRUE(dev);
  std::unique_ptr<Module> kernels = loadKernels(*dev);
  ASSERT_TRUE(kernels);
  std::vector<uint32_t> data(1000);
  for (uint32_t i = 0; i < data.size(); ++i)
    data[i] = i;
  std::unique_ptr<Buffer> buf = *dev->createBuffer(4000);
  ASSERT_TRUE(dev->upload(*buf, bytesOf(data)).ok());
  Dispatch d;
  d.kernel = "add_one";
  d.grid = {32, 1, 1};
  d.block = {32, 1, 1};
  d.args = {KernelArg::of(*buf), KernelArg::u32(999)};
  ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
  ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
  absl::StatusOr<std::vector<KernelTime>> times = dev->wait();
  ASSERT_TRUE(times.ok());
  ASSERT_EQ(times->size(), 2u);
  EXPECT_EQ((*times)[0].source, TimingSource::HostClock);
  EXPECT_TRUE(dev->wait()->empty());
  std::vector<uint8_t> out(4000);
  ASSERT_TRUE(dev->download(*buf, absl::MakeSpan(out)).ok());
  std::vector<uint32_t> got = valuesOf<uint32_t>(out);
  EXPECT_EQ(got[0], 2u);
  EXPECT_EQ(got[998], 1000u);
  EXPECT_EQ(got[999], 999u); // i < n only
}

TEST(CpuDevice, EveryWorkgroupOnce) {
  for (unsigned threads : {1u, 4u}) {
    std::unique_ptr<Device> dev = openCpu(threads);
    std::unique_ptr<Module> kernels = loadKernels(*dev);
    ASSERT_TRUE(kernels);
    Dim3 grid{5, 3, 2};
    std::unique_ptr<Buffer> out = *dev->createBuffer(grid.count() * 4);
    std::unique_ptr<Buffer> counter = *dev->createBuffer(4);
    Dispatch d;
    d.kernel = "record_groups";
    d.grid = grid;
    d.args = {KernelArg::of(*out), KernelArg::of(*counter)};
    ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
    std::vector<uint8_t> ids(grid.count() * 4), count(4);
    ASSERT_TRUE(dev->download(*out, absl::MakeSpan(ids)).ok());
    ASSERT_TRUE(dev->download(*counter, absl::MakeSpan(count)).ok());
    EXPECT_EQ(valuesOf<uint32_t>(count)[0], grid.count());
    std::vector<uint32_t> got = valuesOf<uint32_t>(ids);
    for (uint32_t z = 0, i = 0; z < 2; ++z)
      for (uint32_t y = 0; y < 3; ++y)
        for (uint32_t x = 0; x < 5; ++x, ++i)
          EXPECT_EQ(got[i], x | y << 8 | z << 16) << "threads " << threads;
  }
}

TEST(CpuDevice, SharedMemoryAndShape) {
  std::unique_ptr<Device> dev = openCpu(2);
  std::unique_ptr<Module> kernels = loadKernels(*dev);
  ASSERT_TRUE(kernels);
  std::unique_ptr<Buffer> out = *dev->createBuffer(12);
  Dispatch d;
  d.kernel = "shared_probe";
  d.grid = {4, 1, 1};
  d.block = {8, 4, 2};
  d.sharedBytes = 1000;
  d.args = {KernelArg::of(*out)};
  ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
  std::vector<uint8_t> bytes(12);
  ASSERT_TRUE(dev->download(*out, absl::MakeSpan(bytes)).ok());
  EXPECT_EQ(valuesOf<uint32_t>(bytes), (std::vector<uint32_t>{1000, 1, 64}));
  d.sharedBytes = 0;
  ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
  ASSERT_TRUE(dev->download(*out, absl::MakeSpan(bytes)).ok());
  EXPECT_EQ(valuesOf<uint32_t>(bytes), (std::vector<uint32_t>{0, 1, 64}));
}

TEST(CpuDevice, ScalarArguments) {
  std::unique_ptr<Device> dev = openCpu();
  std::unique_ptr<Module> kernels = loadKernels(*dev);
  ASSERT_TRUE(kernels);
  std::unique_ptr<Buffer> out = *dev->createBuffer(48);
  Dispatch d;
  d.kernel = "scalars";
  d.args = {KernelArg::of(*out),        KernelArg::u32(0xfeedbeef),
            KernelArg::i32(-5),         KernelArg::f32(1.5f),
            KernelArg::u64(1ull << 40), KernelArg::i64(-3000000000LL),
            KernelArg::f64(-0.25)};
  ASSERT_TRUE(dev->dispatch(*kernels, d).ok());
  std::vector<uint8_t> b(48);
  ASSERT_TRUE(dev->download(*out, absl::MakeSpan(b)).ok());
  uint32_t u32;
  int32_t i32;
  float f32;
  uint64_t u64;
  int64_t i64;
  double f64;
  std::memcpy(&u32, &b[0], 4);
  std::memcpy(&i32, &b[8], 4);
  std::memcpy(&f32, &b[16], 4);
  std::memcpy(&u64, &b[24], 8);
  std::memcpy(&i64, &b[32], 8);
  std::memcpy(&f64, &b[40], 8);
  EXPECT_EQ(u32, 0xfeedbeefu);
  EXPECT_EQ(i32, -5);
  EXPECT_EQ(f32, 1.5f);
  EXPECT_EQ(u64, 1ull << 40);
  EXPECT_EQ(i64, -3000000000LL);
  EXPECT_EQ(f64, -0.25);
}

TEST(CpuDevice, ModuleFromBytes) {
  std::unique_ptr<Device> dev = openCpu();
  std::ifstream in(GPUINIT_TEST_CPU_KERNELS, std::ios::binary);
  std::vector<uint8_t> image((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  ASSERT_FALSE(image.empty());
  absl::StatusOr<std::unique_ptr<Module>> m =
      dev->loadModule(ModuleFormat::SharedObject, image, "kernels-in-memory");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->origin(), "kernels-in-memory");
  std::unique_ptr<Buffer> buf = *dev->createBuffer(4);
  Dispatch d;
  d.kernel = "add_one";
  d.args = {KernelArg::of(*buf), KernelArg::u32(1)};
  ASSERT_TRUE(dev->dispatch(**m, d).ok());
  std::vector<uint8_t> out(4);
  ASSERT_TRUE(dev->download(*buf, absl::MakeSpan(out)).ok());
  EXPECT_EQ(valuesOf<uint32_t>(out)[0], 1u);
}

TEST(CpuDevice, Errors) {
  std::unique_ptr<Device> dev = openCpu();
  std::unique_ptr<Module> kernels = loadKernels(*dev);
  ASSERT_TRUE(kernels);
  std::unique_ptr<Buffer> buf = *dev->createBuffer(4);
  Dispatch d;
  d.kernel = "no_such_kernel";
  d.args = {KernelArg::of(*buf)};
  absl::Status s = dev->dispatch(*kernels, d);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(s.message())
                .rfind(dev->label() +
                           ": kernel 'no_such_kernel' not found in " +
                           GPUINIT_TEST_CPU_KERNELS + " (dlsym: ",
                       0),
            0u)
      << s;
  d.kernel = "add_one";
  d.grid = {0, 1, 1};
  s = dev->dispatch(*kernels, d);
  EXPECT_EQ(s.message(),
            dev->label() +
                ": dispatch of 'add_one': grid 0x1x1 has a zero dimension");
  d.grid = {1, 1, 1};
  d.args = {KernelArg()};
  d.args[0].kind = KernelArg::Kind::Buffer;
  s = dev->dispatch(*kernels, d);
  EXPECT_EQ(s.message(),
            dev->label() +
                ": dispatch of 'add_one': argument 0 is a null buffer");
  std::unique_ptr<Device> other = openCpu();
  std::unique_ptr<Buffer> foreign = *other->createBuffer(4);
  d.args = {KernelArg::of(*foreign), KernelArg::u32(1)};
  s = dev->dispatch(*kernels, d);
  EXPECT_EQ(s.message(), dev->label() +
                             ": dispatch of 'add_one': argument 0 is "
                             "a buffer of another device");
  absl::StatusOr<std::unique_ptr<Module>> missing =
      dev->loadModuleFile("/nonexistent/kernels.so");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            dev->label() +
                ": cannot open /nonexistent/kernels.so: No such file "
                "or directory");
  std::vector<uint8_t> spirv = {0x03, 0x02, 0x23, 0x07, 0, 0, 1, 0};
  absl::StatusOr<std::unique_ptr<Module>> wrong =
      dev->loadModule(ModuleFormat::Spirv, spirv, "k.spv");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(),
            dev->label() + ": cannot load k.spv: it is a spirv module; the cpu "
                           "device loads shared objects (CPU kernel ABI)");
  DeviceOptions pick;
  pick.select = "gpu";
  absl::StatusOr<std::unique_ptr<Device>> none =
      Device::open(DeviceKind::Cpu, pick);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
}

//===----------------------------------------------------------------------===//
// CUDA device
//===----------------------------------------------------------------------===//

TEST(CudaDevice, SaysWhyItIsAbsent) {
  if (void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(driver);
    GTEST_SKIP() << "libcuda.so.1 is installed";
  }
  for (int attempt = 0; attempt < 2; ++attempt) { // the failure is remembered
    absl::StatusOr<std::unique_ptr<Device>> dev =
        Device::open(DeviceKind::Cuda);
    ASSERT_FALSE(dev.ok());
    EXPECT_EQ(dev.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(
        dev.status().message(),
        "cuda: libcuda.so.1 not found (no NVIDIA driver on this machine)");
  }
  absl::StatusOr<std::vector<DeviceInfo>> devices =
      Device::enumerate(DeviceKind::Cuda);
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.status().message(),
            "cuda: libcuda.so.1 not found (no NVIDIA driver on this machine)");
}

//===----------------------------------------------------------------------===//
// Vulkan device (when one is there)
//===----------------------------------------------------------------------===//

#ifdef GPUINIT_TEST_HAVE_SPIRV
class VulkanDeviceTest : public ::testing::TestWithParam<bool> {
protected:
  void SetUp() override {
    DeviceOptions options;
    options.vulkanStaging = GetParam();
    absl::StatusOr<std::unique_ptr<Device>> d =
        Device::open(DeviceKind::Vulkan, options);
    if (!d.ok())
      GTEST_SKIP() << d.status();
    dev = std::move(*d);
    std::vector<uint8_t> image(sizeof(kVecAddSpirv));
    std::memcpy(image.data(), kVecAddSpirv, image.size());
    absl::StatusOr<std::unique_ptr<Module>> m =
        dev->loadModule(ModuleFormat::Spirv, image, "vecadd.spv");
    ASSERT_TRUE(m.ok()) << m.status();
    vecadd = std::move(*m);
  }
  std::unique_ptr<Device> dev;
  std::unique_ptr<Module> vecadd;
};

TEST_P(VulkanDeviceTest, ChainedDispatchesRunInOrder) {
  const size_t n = 300;
  std::vector<float> a(n), b(n);
  for (size_t i = 0; i < n; ++i)
    a[i] = float(i), b[i] = 0.5f;
  std::unique_ptr<Buffer> ba = *dev->createBuffer(n * 4);
  std::unique_ptr<Buffer> bb = *dev->createBuffer(n * 4);
  std::unique_ptr<Buffer> bc = *dev->createBuffer(n * 4);
  std::unique_ptr<Buffer> bd = *dev->createBuffer(n * 4);
  ASSERT_TRUE(dev->upload(*ba, bytesOf(a)).ok());
  ASSERT_TRUE(dev->upload(*bb, bytesOf(b)).ok());
  Dispatch d;
  d.kernel = "main";
  d.grid = {5, 1, 1};
  d.block = {64, 1, 1};
  d.args = {KernelArg::of(*ba), KernelArg::of(*bb), KernelArg::of(*bc)};
  ASSERT_TRUE(dev->dispatch(*vecadd, d).ok());
  // d = c + b reads what the first dispatch wrote; no wait in between.
  d.args = {KernelArg::of(*bc), KernelArg::of(*bb), KernelArg::of(*bd)};
  ASSERT_TRUE(dev->dispatch(*vecadd, d).ok());
  absl::StatusOr<std::vector<KernelTime>> times = dev->wait();
  ASSERT_TRUE(times.ok()) << times.status();
  EXPECT_EQ(times->size(), 2u);
  std::vector<uint8_t> out(n * 4);
  ASSERT_TRUE(dev->download(*bd, absl::MakeSpan(out)).ok());
  std::vector<float> got = valuesOf<float>(out);
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(got[i], float(i) + 1.0f) << i;
  // Partial transfers at an offset.
  std::vector<float> two = {7, 8};
  ASSERT_TRUE(dev->upload(*bd, bytesOf(two), 4 * 10).ok());
  std::vector<uint8_t> back(12);
  ASSERT_TRUE(dev->download(*bd, absl::MakeSpan(back), 4 * 9).ok());
  EXPECT_EQ(valuesOf<float>(back), (std::vector<float>{10, 7, 8}));
}

TEST_P(VulkanDeviceTest, DispatchErrors) {
  std::unique_ptr<Buffer> buf = *dev->createBuffer(16);
  Dispatch d;
  d.kernel = "main";
  d.args = {KernelArg::of(*buf), KernelArg::of(*buf), KernelArg::of(*buf),
            KernelArg::of(*buf)};
  absl::Status s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.message(), dev->label() +
                             ": dispatch of 'main': wrong argument count: the "
                             "kernel declares 3 buffer bindings (0, 1, 2), the "
                             "dispatch passes 4 arguments");
  d.args = {KernelArg::of(*buf), KernelArg::of(*buf)};
  s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.message(), dev->label() +
                             ": dispatch of 'main': wrong argument count: the "
                             "kernel declares 3 buffer bindings (0, 1, 2), the "
                             "dispatch passes 2 arguments");
  d.args.push_back(KernelArg::of(*buf));
  d.sharedBytes = 16;
  s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  d.sharedBytes = 0;
  d.block = {32, 1, 1};
  s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.message(), dev->label() +
                             ": dispatch of 'main': block 32x1x1 differs from "
                             "the module's LocalSize 64x1x1 (Vulkan takes the "
                             "workgroup size from the module)");
  d.block = {1, 1, 1};
  d.kernel = "vecadd";
  s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.message(), dev->label() + ": no compute entry point 'vecadd' in "
                                        "vecadd.spv (entry points: main)");
  std::unique_ptr<Device> cpu = openCpu();
  std::unique_ptr<Buffer> foreign = *cpu->createBuffer(16);
  d.kernel = "main";
  d.args = {KernelArg::of(*buf), KernelArg::of(*buf), KernelArg::of(*foreign)};
  s = dev->dispatch(*vecadd, d);
  EXPECT_EQ(s.message(), dev->label() + ": dispatch of 'main': argument 2 is a "
                                        "buffer of another device");
}

INSTANTIATE_TEST_SUITE_P(HostVisibleAndStaging, VulkanDeviceTest,
                         ::testing::Values(false, true));
#endif

} // namespace
