//===- KernelTypes.cpp - the tensor-core fragment type --------------------===//
//
// Syntax and verifier of !kernel.fragment<a|b|c, mMnNkK, T, row|col>.
//
//===----------------------------------------------------------------------===//
#include "gpuinit/Dialect/Kernel/IR/Kernel.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace gpuinit::kernel;

#define GET_TYPEDEF_CLASSES
#include "kernel/KernelTypes.cpp.inc"

void KernelDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "kernel/KernelTypes.cpp.inc"
      >();
}

LogicalResult FragmentType::verify(function_ref<InFlightDiagnostic()> emitError,
                                   MMAOperand operand, uint32_t m, uint32_t n,
                                   uint32_t k, Type elementType, MMALayout) {
  bool knownShape = k == 16 && ((m == 16 && n == 16) || (m == 32 && n == 8) ||
                                (m == 8 && n == 32));
  if (!knownShape)
    return emitError() << "unsupported MMA shape m" << m << "n" << n << "k" << k
                       << " (expected m16n16k16, m32n8k16 or m8n32k16)";
  if (!elementType)
    return emitError() << "fragment needs an element type";
  if (operand == MMAOperand::c) {
    if (!elementType.isF16() && !elementType.isF32())
      return emitError() << "accumulator (c) fragments hold f16 or f32, got "
                         << elementType;
  } else if (!elementType.isF16() && !elementType.isBF16()) {
    return emitError() << "operand " << stringifyMMAOperand(operand)
                       << " fragments hold f16 or bf16, got " << elementType;
  }
  return success();
}

Type FragmentType::parse(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef operandName, shape, layoutName;
  Type elementType;
  if (parser.parseLess() || parser.parseKeyword(&operandName))
    return {};
  std::optional<MMAOperand> operand = symbolizeMMAOperand(operandName);
  if (!operand) {
    parser.emitError(loc, "expected fragment operand a, b or c, got '")
        << operandName << "'";
    return {};
  }
  SMLoc shapeLoc = parser.getCurrentLocation();
  if (parser.parseComma() || parser.parseKeyword(&shape))
    return {};
  uint32_t m, n, k;
  StringRef rest = shape;
  auto takeNumber = [&](char prefix, uint32_t &value) {
    if (!rest.consume_front(StringRef(&prefix, 1)))
      return false;
    size_t digits = rest.find_first_not_of("0123456789");
    StringRef number = rest.take_front(digits);
    rest = rest.drop_front(number.size());
    return !number.empty() && !number.getAsInteger(10, value);
  };
  if (!takeNumber('m', m) || !takeNumber('n', n) || !takeNumber('k', k) ||
      !rest.empty()) {
    parser.emitError(shapeLoc, "expected an MMA shape like m16n16k16, got '")
        << shape << "'";
    return {};
  }
  SMLoc layoutLoc;
  if (parser.parseComma() || parser.parseType(elementType) ||
      parser.parseComma() ||
      (layoutLoc = parser.getCurrentLocation(),
       parser.parseKeyword(&layoutName)))
    return {};
  std::optional<MMALayout> layout = symbolizeMMALayout(layoutName);
  if (!layout) {
    parser.emitError(layoutLoc, "expected layout row or col, got '")
        << layoutName << "'";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    *operand, m, n, k, elementType, *layout);
}

void FragmentType::print(AsmPrinter &printer) const {
  printer << '<' << stringifyMMAOperand(getOperand()) << ", m" << getM() << 'n'
          << getN() << 'k' << getK() << ", " << getElementType() << ", "
          << stringifyMMALayout(getLayout()) << '>';
}
