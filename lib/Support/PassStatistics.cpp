//===- PassStatistics.cpp - pass statistics registry ----------------------===//
//
// A process-wide, thread-safe registry of pass statistics (see the header for
// why gpuinit keeps its own).
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Support/PassStatistics.h"

#include <vector>
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"

#include <mutex>
#include <string>

namespace {
struct Stat {
  std::string name, description;
  uint64_t value = 0;
};
struct Registry {
  std::mutex mutex;
  std::vector<std::pair<std::string, llvm::SmallVector<Stat, 4>>> passes;
};
Registry &registry() {
  static Registry r;
  return r;
}
} // namespace

void gpuinit::recordStatistic(llvm::StringRef pass, llvm::StringRef name,
                              llvm::StringRef description, uint64_t value) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = llvm::find_if(r.passes,
                          [&](const auto &p) { return p.first == pass; });
  if (it == r.passes.end())
    it = r.passes.insert(it, {pass.str(), {}});
  auto &stats = it->second;
  for (Stat &s : stats)
    if (s.name == name) {
      s.value += value;
      return;
    }
  stats.push_back({name.str(), description.str(), value});
}

bool gpuinit::haveStatistics() {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return !r.passes.empty();
}

void gpuinit::printStatistics(llvm::raw_ostream &os) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  os << "===" << std::string(73, '-') << "===\n"
     << "                    ... gpuinit pass statistics report ...\n"
     << "===" << std::string(73, '-') << "===\n";
  for (auto &[pass, stats] : r.passes) {
    os << pass << "\n";
    size_t width = 0;
    for (const Stat &s : stats)
      width = std::max(width, std::to_string(s.value).size());
    for (const Stat &s : stats)
      os << "  (S) " << llvm::right_justify(std::to_string(s.value), width)
         << " " << s.name << " - " << s.description << "\n";
  }
}
