//===- RegMapTest.cpp - register map parsing and lookup -------------------===//
#include "gpuinit/Runtime/RegMap.h"

#include <gtest/gtest.h>

using namespace gpuinit::runtime;

TEST(RegMap, PlainRangeCoversWholeAccessOnly) {
  auto map = RegMap::parse(
      R"([{"space":"mmio","bar":0,"start":"0x1540","size":8,"props":["plain"]}])",
      "m.json");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_TRUE(map->isPlain(Space::Mmio, 0, 0x1540, 4));
  EXPECT_TRUE(map->isPlain(Space::Mmio, 0, 0x1544, 4));
  // Straddles the end of the range: side-effecting.
  EXPECT_FALSE(map->isPlain(Space::Mmio, 0, 0x1546, 4));
  // Another BAR, another space.
  EXPECT_FALSE(map->isPlain(Space::Mmio, 1, 0x1540, 4));
  EXPECT_FALSE(map->isPlain(Space::Cfg, 0, 0x1540, 4));
}

TEST(RegMap, SideEffectWinsOverPlain) {
  auto map = RegMap::parse(
      R"({"registers":[{"space":"mmio","start":16,"end":20,"props":["plain","read-clears"]}]})",
      "m.json");
  ASSERT_TRUE(map.ok()) << map.status();
  uint32_t p = map->lookup(Space::Mmio, 0, 16, 4);
  EXPECT_FALSE(p & kPlain);
  EXPECT_FALSE(p & kReadPure);
  EXPECT_TRUE(p & kReadClears);
}

TEST(RegMap, IndexedIoUsesPortAndIndex) {
  auto map = RegMap::parse(
      R"([{"space":"idxio","port":"0x3d4","start":"0x10","end":"0x20","props":["plain"]}])",
      "m.json");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_TRUE(map->isPlain(Space::IdxIo, 0, 0x3d4, 1, 0x11));
  EXPECT_FALSE(map->isPlain(Space::IdxIo, 0, 0x3d4, 1, 0x21));
  EXPECT_FALSE(map->isPlain(Space::IdxIo, 0, 0x3c4, 1, 0x11));
}

TEST(RegMap, ErrorsNameFileAndEntry) {
  auto bad = RegMap::parse(R"([{"space":"mmio","start":4,"props":["plain"]},
                              {"space":"nope","start":0,"size":4,"props":[]}])",
                           "m.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("m.json: register map entry #0"),
            std::string::npos)
      << bad.status();
  auto prop = RegMap::parse(
      R"([{"start":0,"size":4,"props":["sticky"]}])", "x.json");
  ASSERT_FALSE(prop.ok());
  EXPECT_NE(prop.status().message().find("unknown property 'sticky'"),
            std::string::npos);
  auto json = RegMap::parse("[{", "y.json");
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.status().message().find("y.json: byte"), std::string::npos);
}
