//===- InitSeqSimTest.cpp - the initseq simulator and equivalence check ---===//
//
// Programs built by hand (no MLIR) replayed against small register maps.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Runtime/InitSeqSim.h"

#include <gtest/gtest.h>

#include <tuple>

using namespace gpuinit::runtime;

namespace {

/// mmio BAR0 0x1000..0x2000 is plain storage, 0x3000..0x3100 read-pure
/// status registers; everything else has side effects.
RegMap testMap() {
  auto map = RegMap::parse(
      R"([{"space":"mmio","bar":0,"start":"0x1000","end":"0x2000","props":["plain"]},
          {"space":"mmio","bar":0,"start":"0x3000","end":"0x3100","props":["read-pure"]}])",
      "test.json");
  EXPECT_TRUE(map.ok()) << map.status();
  return *map;
}

const SimReg kPlainX = SimReg::mmio(0, 0x1540);
const SimReg kPlainY = SimReg::mmio(0, 0x1544);
const SimReg kDoorbell = SimReg::mmio(0, 0x200);
const SimReg kStatus = SimReg::mmio(0, 0x3000);

SimComparison compare(const SimProgram &a, const SimProgram &b) {
  absl::StatusOr<SimComparison> r = compareSimPrograms(a, b, testMap());
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : SimComparison();
}

/// All events of a program.
std::vector<SimEvent> events(const SimProgram &p, const RegMap &map) {
  SimEventStream s(p, map);
  std::vector<SimEvent> out;
  SimEvent e;
  while (s.next(e))
    out.push_back(e);
  EXPECT_TRUE(s.status().ok()) << s.status();
  return out;
}

TEST(InitSeqSim, EqualStreamsAreEquivalent) {
  SimProgram a;
  a.write(kDoorbell, 32, 0x1);
  a.write(kPlainX, 32, 0x5);
  a.delay(1000);
  a.poll(SimReg::mmio(0, 0xe100), 32, 0x2, false, 0x2, 100000000);
  a.rmw(kDoorbell, 32, 0xff00, 0x11);
  SimProgram b = a;
  SimComparison r = compare(a, b);
  EXPECT_TRUE(r.equivalent());
  // write, delay, poll, rmw read + rmw write, end.
  EXPECT_EQ(r.events, 6u);
}

TEST(InitSeqSim, RemovedSideEffectingWriteIsDetected) {
  SimProgram a, b;
  a.write(kDoorbell, 32, 0x1).loc = a.fileLoc("a.mlir", 2, 3);
  a.write(kDoorbell, 32, 0x1).loc = a.fileLoc("a.mlir", 3, 3);
  a.delay(1000000).loc = a.fileLoc("a.mlir", 4, 3);
  b.write(kDoorbell, 32, 0x1).loc = b.fileLoc("b.mlir", 2, 3);
  b.delay(1000000).loc = b.fileLoc("b.mlir", 3, 3);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  const SimDivergence &d = *r.divergence;
  EXPECT_EQ(d.event, 1u);
  EXPECT_FALSE(d.stateOnly);
  EXPECT_EQ(d.opA, 1u);
  EXPECT_EQ(d.opB, 1u);
  EXPECT_EQ(d.locA, "a.mlir:3:3");
  EXPECT_EQ(d.locB, "b.mlir:3:3");
  EXPECT_EQ(formatSimDivergence(d, "a.mlir", "b.mlir"),
            "divergent at device-visible event #1: different device events\n"
            "  a.mlir: write mmio[bar0 + 0x000200] : i32 = 0x1 (op #1 "
            "initseq.write at a.mlir:3:3)\n"
            "  b.mlir: delay 1 ms (op #1 initseq.delay at b.mlir:3:3)\n");
}

TEST(InitSeqSim, PlainWriteOverwrittenBeforeObservationIsInvisible) {
  SimProgram a, b;
  a.write(kPlainX, 32, 0x1);
  a.write(kPlainY, 32, 0x7);
  a.write(kPlainX, 32, 0x2);
  a.delay(1000);
  b.write(kPlainY, 32, 0x7);
  b.write(kPlainX, 32, 0x2);
  b.delay(1000);
  SimComparison r = compare(a, b);
  EXPECT_TRUE(r.equivalent());
  EXPECT_EQ(r.events, 2u);
}

TEST(InitSeqSim, PlainWriteOverwrittenAcrossDelayIsDetected) {
  SimProgram a, b;
  a.write(kPlainX, 32, 0x1).loc = a.fileLoc("a.mlir", 2, 3);
  a.delay(1000).loc = a.fileLoc("a.mlir", 3, 3);
  a.write(kPlainX, 32, 0x2);
  a.delay(1000);
  b.delay(1000).loc = b.fileLoc("b.mlir", 2, 3);
  b.write(kPlainX, 32, 0x2);
  b.delay(1000);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  const SimDivergence &d = *r.divergence;
  EXPECT_EQ(d.event, 0u);
  EXPECT_TRUE(d.stateOnly);
  EXPECT_EQ(formatSimDivergence(d, "a", "b"),
            "divergent at device-visible event #0: plain register "
            "mmio[bar0 + 0x001540] : i32 differs when the device observes it\n"
            "  a: 0x1 (set by op #0 initseq.write at a.mlir:2:3), seen at "
            "delay 1 us (op #1 initseq.delay at a.mlir:3:3)\n"
            "  b: unknown (unchanged since the previous event), seen at delay "
            "1 us (op #0 initseq.delay at b.mlir:2:3)\n");
}

TEST(InitSeqSim, SideEffectingWriteObservesPlainState) {
  // Removing the first plain write is visible: the doorbell write is an
  // event at which the device sees 0x1.
  SimProgram a, b;
  a.write(kPlainX, 32, 0x1);
  a.write(kDoorbell, 32, 0x1);
  a.write(kPlainX, 32, 0x2);
  b.write(kDoorbell, 32, 0x1);
  b.write(kPlainX, 32, 0x2);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_TRUE(r.divergence->stateOnly);
  EXPECT_EQ(r.divergence->event, 0u);
}

TEST(InitSeqSim, RmwOnPlainStorageIsExactPerBit) {
  // Known value: the rmw is the write of its result.
  SimProgram a, b;
  a.write(kPlainX, 32, 0xabcd1234);
  a.rmw(kPlainX, 32, 0xff, 0x100);
  a.delay(10);
  b.write(kPlainX, 32, 0x134);
  b.delay(10);
  EXPECT_TRUE(compare(a, b).equivalent());

  // Unknown value: and-mask bits stay unknown, the others are known.
  SimProgram u;
  u.rmw(kPlainX, 32, 0xffff0000, 0x12);
  u.delay(10);
  RegMap map = testMap();
  SimEventStream s(u, map);
  SimEvent ev;
  ASSERT_TRUE(s.next(ev));
  ASSERT_EQ(ev.kind, SimEventKind::Delay);
  ASSERT_EQ(ev.changes.size(), 1u);
  // X is bytes 0..3 of the word at 0x1540.
  EXPECT_EQ(ev.changes[0].after.known, 0x0000ffffu);
  EXPECT_EQ(ev.changes[0].after.value, 0x12u);
  EXPECT_EQ(s.describe(ev.changes[0]),
            std::vector<std::string>{
                "mmio[bar0 + 0x001540] : i32 = 0x12 (unknown bits 0xffff0000) "
                "(set by op #0 initseq.rmw)"});

  // An or-mask bit is set whatever the old value; a second rmw keeping the
  // unknown bits changes nothing the device can see.
  SimProgram c, d;
  c.rmw(kPlainX, 32, 0xff00, 0x1);
  c.delay(10);
  d.rmw(kPlainX, 32, 0xff00, 0x1);
  d.rmw(kPlainX, 32, 0xffffffff, 0x0);
  d.delay(10);
  EXPECT_TRUE(compare(c, d).equivalent());
  SimProgram e;
  e.rmw(kPlainX, 32, 0xff00, 0x3);
  e.delay(10);
  EXPECT_FALSE(compare(c, e).equivalent());
}

TEST(InitSeqSim, RmwOfSideEffectingRegisterIsReadThenWrite) {
  SimProgram p;
  p.rmw(kDoorbell, 32, 0xffffff00, 0x11);
  std::vector<SimEvent> ev = events(p, testMap());
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].kind, SimEventKind::Read);
  EXPECT_EQ(ev[1].kind, SimEventKind::Write);
  EXPECT_EQ(ev[1].data.known, 0xffu);
  EXPECT_EQ(ev[1].data.value, 0x11u);
  SimEventStream s(p, testMap());
  EXPECT_EQ(s.describe(ev[1]),
            "write mmio[bar0 + 0x000200] : i32 = 0x11 with bits 0xffffff00 "
            "as read");

  // On a read-pure register only the write is seen: with an and-mask of 0
  // it is the plain write of the or-mask.
  SimProgram a, b;
  a.rmw(kStatus, 32, 0x0, 0x5);
  b.write(kStatus, 32, 0x5);
  SimComparison r = compare(a, b);
  EXPECT_TRUE(r.equivalent());
  EXPECT_EQ(r.events, 2u);
}

TEST(InitSeqSim, ConditionMergesBothPaths) {
  // Both paths leave X = 5: a later write of 5 changes nothing.
  SimProgram a, b;
  a.write(kPlainX, 32, 0x5);
  a.beginCondition(SimCondKind::Strap, 0x3, false);
  a.write(kPlainX, 32, 0x5);
  a.endCondition();
  a.write(kPlainX, 32, 0x5);
  a.delay(10);
  b.write(kPlainX, 32, 0x5);
  b.beginCondition(SimCondKind::Strap, 0x3, false);
  b.write(kPlainX, 32, 0x5);
  b.endCondition();
  b.delay(10);
  EXPECT_TRUE(compare(a, b).equivalent());

  // The paths disagree on bit 0: after the condition it is unknown, so a
  // write of 0 afterwards is something the device sees.
  SimProgram c, d;
  c.write(kPlainX, 32, 0x0);
  c.beginCondition(SimCondKind::RamCfg, 0x2, true);
  c.write(kPlainX, 32, 0x1);
  c.endCondition();
  c.write(kPlainX, 32, 0x0);
  c.delay(10);
  d.write(kPlainX, 32, 0x0);
  d.beginCondition(SimCondKind::RamCfg, 0x2, true);
  d.write(kPlainX, 32, 0x1);
  d.endCondition();
  d.delay(10);
  SimComparison r = compare(c, d);
  ASSERT_FALSE(r.equivalent());
  EXPECT_TRUE(r.divergence->stateOnly);
  // enter, leave, then the delay.
  EXPECT_EQ(r.divergence->event, 2u);
  EXPECT_EQ(r.divergence->a.substr(0, 34),
            "0x0 (set by op #3 initseq.write), ");
  EXPECT_EQ(r.divergence->b.substr(0, 67),
            "0x0 (unknown bits 0x1) (merged after op #1 initseq.condition), "
            "seen");

  // The merged value is exact: a poll for bit 1 (known 0 on both paths) is
  // impossible, one for bit 0 is not.
  SimProgram ok = d;
  ok.poll(kPlainX, 32, 0x1, false, 0x1, 1000);
  EXPECT_TRUE(compareSimPrograms(ok, ok, testMap()).ok());
  SimProgram bad = d;
  bad.poll(kPlainX, 32, 0x2, false, 0x2, 1000);
  EXPECT_FALSE(compareSimPrograms(bad, bad, testMap()).ok());
}

TEST(InitSeqSim, NestedConditionsMergeIntoTheOuterPath) {
  SimProgram a, b;
  for (SimProgram *p : {&a, &b}) {
    p->write(kPlainX, 32, 0x0);
    p->beginCondition(SimCondKind::Strap, 0, false);
    p->beginCondition(SimCondKind::Strap, 1, false);
    p->write(kPlainX, 32, 0x1);
    p->endCondition();
    p->endCondition();
  }
  // Bit 0 is unknown after both conditions: this write is seen at End.
  a.write(kPlainX, 32, 0x0);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_EQ(r.divergence->event, 4u);
}

TEST(InitSeqSim, NestedMergesAreExact) {
  // X = 0, then maybe 1 (outer), then maybe 2 (inner): bits 0 and 1 are
  // unknown afterwards, bit 2 is known 0.
  SimProgram p;
  p.write(kPlainX, 32, 0x0);
  p.beginCondition(SimCondKind::Strap, 0, false);
  p.write(kPlainX, 32, 0x1);
  p.beginCondition(SimCondKind::Strap, 1, false);
  p.write(kPlainX, 32, 0x2);
  p.endCondition();
  p.endCondition();
  // Only the inner body writes Y: the outer merge sees Y's value from before
  // the outer condition.
  p.write(kPlainY, 32, 0x4);
  p.beginCondition(SimCondKind::Strap, 2, false);
  p.beginCondition(SimCondKind::Strap, 3, false);
  p.write(kPlainY, 32, 0x5);
  p.endCondition();
  p.endCondition();
  RegMap map = testMap();
  for (auto [reg, mask, expected, possible] :
       {std::tuple{kPlainX, 0x3u, 0x3u, true},
        {kPlainX, 0x4u, 0x4u, false},
        {kPlainY, 0x1u, 0x1u, true},
        {kPlainY, 0x4u, 0x0u, false}}) {
    SimProgram q = p;
    q.poll(reg, 32, mask, false, expected, 1000);
    EXPECT_EQ(compareSimPrograms(q, q, map).ok(), possible)
        << formatSimReg(reg) << " mask " << mask;
  }
}

TEST(InitSeqSim, OpaqueInsideConditionForgetsEverything) {
  const uint64_t operands[] = {0x1};
  SimProgram a, b;
  for (SimProgram *p : {&a, &b}) {
    p->write(kPlainX, 32, 0x1).loc = p->fileLoc("p.mlir", 1, 1);
    p->beginCondition(SimCondKind::Condition, 0x4, false).loc =
        p->fileLoc("p.mlir", 2, 3);
    p->opaque("INIT_PLL", operands);
    p->endCondition();
  }
  a.write(kPlainX, 32, 0x1);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_EQ(r.divergence->b.substr(0, 62),
            "unknown (merged after op #1 initseq.condition at p.mlir:2:3), ");
}

TEST(InitSeqSim, ElseBodyStartsFromTheStorageBeforeTheCondition) {
  // X = 1; if (c) X = 2 else { delay; X = 3 }: the else body's delay sees
  // X = 1 (the body's X = 2 never happened on that path).
  SimProgram p;
  p.write(kPlainX, 32, 0x1);
  p.beginCondition(SimCondKind::Condition, 0x5, false);
  p.write(kPlainX, 32, 0x2);
  p.elseCondition();
  p.delay(10);
  p.write(kPlainX, 32, 0x3);
  p.endCondition();
  std::vector<SimEvent> ev = events(p, testMap());
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].kind, SimEventKind::ConditionEnter);
  ASSERT_EQ(ev[0].changes.size(), 1u);
  EXPECT_EQ(ev[0].changes[0].after, (SimValue{0xffffffff, 0x1}));
  // The else marker shows what the body leaves.
  EXPECT_EQ(ev[1].kind, SimEventKind::ConditionElse);
  ASSERT_EQ(ev[1].changes.size(), 1u);
  EXPECT_EQ(ev[1].changes[0].after, (SimValue{0xffffffff, 0x2}));
  // Nothing changed since the enter event on the else path.
  EXPECT_EQ(ev[2].kind, SimEventKind::Delay);
  EXPECT_TRUE(ev[2].changes.empty());
  EXPECT_EQ(ev[3].kind, SimEventKind::ConditionExit);
  ASSERT_EQ(ev[3].changes.size(), 1u);
  EXPECT_EQ(ev[3].changes[0].before, (SimValue{0xffffffff, 0x1}));
  EXPECT_EQ(ev[3].changes[0].after, (SimValue{0xffffffff, 0x3}));
  // After the condition X is 2 or 3: bit 0 is unknown, the others agree
  // (bit 1 is 1).
  SimProgram q = p;
  q.poll(kPlainX, 32, 0x2, false, 0x0, 1000);
  EXPECT_FALSE(compareSimPrograms(q, q, testMap()).ok());
  SimProgram r = p;
  r.poll(kPlainX, 32, 0x1, false, 0x0, 1000);
  EXPECT_TRUE(compareSimPrograms(r, r, testMap()).ok());
}

TEST(InitSeqSim, ElsePathsThatShowNothingAreNoElse) {
  // An else body with no event that leaves storage as it found it (here: a
  // write of the value X already has, and a read-pure read) is no else.
  SimProgram a, b, c;
  for (SimProgram *p : {&a, &b, &c}) {
    p->write(kPlainX, 32, 0x1);
    p->beginCondition(SimCondKind::Strap, 0x1, false);
    p->write(kPlainX, 32, 0x2);
  }
  a.elseCondition();
  a.write(kPlainX, 32, 0x1);
  a.read(kStatus, 32);
  b.elseCondition();
  for (SimProgram *p : {&a, &b, &c}) {
    p->endCondition();
    p->delay(10);
  }
  SimComparison ab = compare(a, b), ac = compare(a, c);
  EXPECT_TRUE(ab.equivalent());
  EXPECT_TRUE(ac.equivalent());
  // enter, leave, delay, end.
  EXPECT_EQ(ac.events, 4u);

  // A write the else path leaves behind is seen when it ends.
  SimProgram d = c, e;
  e.write(kPlainX, 32, 0x1);
  e.beginCondition(SimCondKind::Strap, 0x1, false);
  e.write(kPlainX, 32, 0x2);
  e.elseCondition();
  e.write(kPlainY, 32, 0x7);
  e.endCondition();
  e.delay(10);
  SimComparison de = compare(d, e);
  ASSERT_FALSE(de.equivalent());
  EXPECT_EQ(de.divergence->event, 1u);
  EXPECT_EQ(de.divergence->summary, "different device events");
  EXPECT_NE(de.divergence->b.find("else of condition strap 0x1"),
            std::string::npos);
}

TEST(InitSeqSim, ElseEventsAreCompared) {
  // The same side-effecting write in the body or in the else body differs.
  SimProgram a, b;
  a.beginCondition(SimCondKind::RamCfg, 0x2, false);
  a.write(kDoorbell, 32, 0x1);
  a.elseCondition();
  a.endCondition();
  b.beginCondition(SimCondKind::RamCfg, 0x2, false);
  b.elseCondition();
  b.write(kDoorbell, 32, 0x1);
  b.endCondition();
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_EQ(r.divergence->event, 1u);
}

TEST(InitSeqSim, ElseAfterOpaqueBodyStartsFromTheStorageBefore) {
  // The body forgets all storage; the else body still starts from X = 1, so
  // writing X = 1 there changes nothing.
  const uint64_t operands[] = {0x1};
  SimProgram a, b;
  for (SimProgram *p : {&a, &b}) {
    p->write(kPlainX, 32, 0x1);
    p->beginCondition(SimCondKind::Strap, 0, false);
    p->write(kPlainY, 32, 0x2);
    p->beginCondition(SimCondKind::Strap, 1, false);
    p->opaque("INIT_PLL", operands);
    p->endCondition();
    p->elseCondition();
  }
  a.write(kPlainX, 32, 0x1);
  a.delay(10);
  b.delay(10);
  for (SimProgram *p : {&a, &b})
    p->endCondition();
  EXPECT_TRUE(compare(a, b).equivalent());
  // After the condition everything is unknown (the body forgot it).
  SimProgram e = b, f = b;
  f.write(kPlainX, 32, 0x1);
  EXPECT_FALSE(compare(e, f).equivalent());

  // Y, written only in the body, is unknown again on the else path: writing
  // the body's value there is seen.
  SimProgram c, d;
  for (SimProgram *p : {&c, &d}) {
    p->beginCondition(SimCondKind::Strap, 0, false);
    p->write(kPlainY, 32, 0x2);
    p->opaque("INIT_PLL", operands);
    p->write(kPlainY, 32, 0x2);
    p->elseCondition();
  }
  d.write(kPlainY, 32, 0x2);
  for (SimProgram *p : {&c, &d}) {
    p->delay(10);
    p->endCondition();
  }
  SimComparison r = compare(c, d);
  ASSERT_FALSE(r.equivalent());
  EXPECT_TRUE(r.divergence->stateOnly);
  // enter, opaque, else, then the delay.
  EXPECT_EQ(r.divergence->event, 3u);
}

TEST(InitSeqSim, DifferentConditionsDiverge) {
  SimProgram a, b;
  a.beginCondition(SimCondKind::Strap, 0x3, false);
  a.endCondition();
  b.beginCondition(SimCondKind::Strap, 0x3, true);
  b.endCondition();
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_NE(r.divergence->b.find("enter condition not strap 0x3"),
            std::string::npos);
}

TEST(InitSeqSim, ConsecutiveDelaysMerge) {
  SimProgram a, b;
  a.write(kDoorbell, 32, 0x1);
  a.delay(1000000);
  a.delay(0);
  a.read(kStatus, 32); // read-pure: nothing the device sees
  a.read(kPlainX, 32); // plain: storage
  a.write(kPlainY, 32, 0x3);
  a.write(kPlainY, 32, 0x0);
  a.delay(2000000);
  b.write(kDoorbell, 32, 0x1);
  b.write(kPlainY, 32, 0x0);
  b.delay(3000000);
  // Y changed (unknown -> 0) after a's first delay but before b's only one:
  // the device sees it at different times.
  EXPECT_FALSE(compare(a, b).equivalent());

  SimProgram c, d;
  c.write(kDoorbell, 32, 0x1);
  c.delay(1000000);
  c.delay(0);
  c.read(kStatus, 32);
  c.read(kPlainX, 32);
  c.delay(2000000);
  d.write(kDoorbell, 32, 0x1);
  d.delay(3000000);
  SimComparison r = compare(c, d);
  EXPECT_TRUE(r.equivalent());
  EXPECT_EQ(r.events, 3u);

  // A plain change between delays keeps them apart.
  SimProgram e, f;
  e.delay(1000);
  e.write(kPlainX, 32, 0x1);
  e.delay(2000);
  f.write(kPlainX, 32, 0x1);
  f.delay(3000);
  SimComparison ef = compare(e, f);
  ASSERT_FALSE(ef.equivalent());
  EXPECT_EQ(ef.divergence->event, 0u);
  EXPECT_FALSE(ef.divergence->stateOnly);

  // A different total is a divergence.
  SimProgram g;
  g.write(kDoorbell, 32, 0x1);
  g.delay(3000001);
  EXPECT_FALSE(compare(d, g).equivalent());
}

TEST(InitSeqSim, ZeroDelayIsNothing) {
  SimProgram a, b;
  a.write(kDoorbell, 32, 0x1);
  a.delay(0);
  a.write(kDoorbell, 32, 0x2);
  b.write(kDoorbell, 32, 0x1);
  b.write(kDoorbell, 32, 0x2);
  EXPECT_TRUE(compare(a, b).equivalent());
}

TEST(InitSeqSim, BlockWriteIsItsWrites) {
  const uint64_t vals[] = {0x1, 0x2, 0x3};
  SimProgram a, b;
  a.blockWrite(SimReg::mmio(0, 0x400), 32, 4, vals);
  for (unsigned i = 0; i < 3; ++i)
    b.write(SimReg::mmio(0, 0x400 + 4 * i), 32, vals[i]);
  SimComparison r = compare(a, b);
  EXPECT_TRUE(r.equivalent());
  EXPECT_EQ(r.events, 4u);

  // On plain storage the block is storage too; a later write of the same
  // value is invisible, a different one is not.
  SimProgram c, d;
  c.blockWrite(SimReg::mmio(0, 0x1000), 32, 4, vals);
  c.write(SimReg::mmio(0, 0x1004), 32, 0x2);
  d.blockWrite(SimReg::mmio(0, 0x1000), 32, 4, vals);
  EXPECT_TRUE(compare(c, d).equivalent());
  c.write(SimReg::mmio(0, 0x1004), 32, 0x9);
  EXPECT_FALSE(compare(c, d).equivalent());
}

TEST(InitSeqSim, StorageIsPerByte) {
  // Two 16-bit writes are the 32-bit write of the same bytes.
  SimProgram a, b;
  a.write(SimReg::mmio(0, 0x1540), 16, 0x5678);
  a.write(SimReg::mmio(0, 0x1542), 16, 0x1234);
  b.write(kPlainX, 32, 0x12345678);
  EXPECT_TRUE(compare(a, b).equivalent());
  // A 64-bit write across an 8-byte boundary.
  SimProgram c, d;
  c.write(SimReg::mmio(0, 0x1544), 64, 0x1122334455667788);
  d.write(SimReg::mmio(0, 0x1544), 32, 0x55667788);
  d.write(SimReg::mmio(0, 0x1548), 32, 0x11223344);
  EXPECT_TRUE(compare(c, d).equivalent());
}

TEST(InitSeqSim, OpaqueForgetsPlainStorage) {
  SimProgram a, b;
  const uint64_t ops[] = {0x4010, 0x61a8};
  for (SimProgram *p : {&a, &b}) {
    p->write(kPlainX, 32, 0x1);
    p->opaque("INIT_PLL", ops);
  }
  a.write(kPlainX, 32, 0x1);
  EXPECT_FALSE(compare(a, b).equivalent());
  SimProgram c;
  const uint64_t other[] = {0x4010, 0x61a9};
  c.write(kPlainX, 32, 0x1);
  c.opaque("INIT_PLL", other);
  SimComparison r = compare(b, c);
  ASSERT_FALSE(r.equivalent());
  EXPECT_NE(r.divergence->b.find("opaque \"INIT_PLL\" (0x4010, 0x61a9)"),
            std::string::npos);
}

TEST(InitSeqSim, SideEffectingReadIsAnEventObservedValueIsNot) {
  SimProgram a, b;
  a.read(kDoorbell, 32, 0x5);
  b.read(kDoorbell, 32, 0x6);
  EXPECT_TRUE(compare(a, b).equivalent());
  SimProgram c;
  EXPECT_FALSE(compare(a, c).equivalent());
}

TEST(InitSeqSim, ImpossiblePollIsAnError) {
  SimProgram a;
  a.write(kPlainX, 32, 0x0);
  a.poll(kPlainX, 32, 0x1, false, 0x1, 1000).loc = a.fileLoc("a.mlir", 7, 3);
  absl::StatusOr<SimComparison> r = compareSimPrograms(a, a, testMap());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "a.mlir:7:3: error: op #1 initseq.poll can never succeed: plain "
            "register mmio[bar0 + 0x001540] : i32 holds 0x0, so (value & 0x1) "
            "is never eq 0x1");
  // ne: impossible only when every masked bit is known and equal.
  SimProgram b;
  b.write(kPlainX, 32, 0x1);
  b.poll(kPlainX, 32, 0x1, true, 0x1, 1000);
  EXPECT_FALSE(compareSimPrograms(b, b, testMap()).ok());
  SimProgram c;
  c.poll(kPlainX, 32, 0x1, true, 0x1, 1000);
  EXPECT_TRUE(compareSimPrograms(c, c, testMap()).ok());
}

TEST(InitSeqSim, VerifyRejectsBadPrograms) {
  SimProgram a;
  a.write(SimReg::io(0x3da), 64, 0x1).loc = a.fileLoc("x.mlir", 1, 2);
  absl::Status s = a.verify();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "x.mlir:1:2: error: op #0 initseq.write: a 64-bit "
                         "access is not allowed in io space");
  SimProgram b;
  b.beginCondition(SimCondKind::Strap, 0, false);
  EXPECT_FALSE(b.verify().ok());
  SimProgram c;
  c.write(SimReg::cfg(0xffe), 32, 0x0);
  EXPECT_FALSE(c.verify().ok());
  SimProgram d;
  d.write(kPlainX, 8, 0x100);
  EXPECT_FALSE(d.verify().ok());
  SimProgram e;
  e.elseCondition();
  EXPECT_FALSE(e.verify().ok());
  SimProgram f;
  f.beginCondition(SimCondKind::Strap, 0, false).loc = f.fileLoc("f.mlir", 3, 4);
  f.elseCondition();
  f.elseCondition();
  f.endCondition();
  absl::Status twice = f.verify();
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.message(), "f.mlir:3:4: error: op #0 initseq.condition: "
                             "condition has a second else");
}

TEST(InitSeqSim, EndOfSequenceIsAnEvent) {
  SimProgram a, b;
  a.write(kDoorbell, 32, 0x1);
  a.name = "s";
  a.loc = a.fileLoc("a.mlir", 1, 1);
  b.write(kDoorbell, 32, 0x1);
  b.write(kDoorbell, 32, 0x2);
  SimComparison r = compare(a, b);
  ASSERT_FALSE(r.equivalent());
  EXPECT_EQ(r.divergence->a, "end of sequence (end of @s at a.mlir:1:1)");
  EXPECT_EQ(r.divergence->opA, kSimNone);
}

TEST(InitSeqSim, LongSequencesCompare) {
  SimProgram a, b;
  for (uint64_t i = 0; i < 200000; ++i) {
    for (SimProgram *p : {&a, &b}) {
      p->write(SimReg::mmio(0, 0x1000 + (i % 1024) * 4), 32, i & 0xffffffff);
      if (i % 7 == 0)
        p->write(kDoorbell, 32, i & 0xff);
    }
    // A duplicate plain write: invisible.
    if (i % 3 == 0)
      a.write(SimReg::mmio(0, 0x1000 + (i % 1024) * 4), 32, i & 0xffffffff);
  }
  SimComparison r = compare(a, b);
  EXPECT_TRUE(r.equivalent());
}

} // namespace
