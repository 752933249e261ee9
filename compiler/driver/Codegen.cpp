//===- Codegen.cpp - LLVM IR -> object files, in parallel -----------------===//
#include "compiler/driver/Codegen.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/SplitModule.h"

namespace onnxc {
namespace {

/// Below this many IR instructions, one part: splitting costs a bitcode
/// round trip and saves little.
constexpr size_t kSplitThreshold = 20000;
/// Constants of at least this many bytes go to the data-only object.
constexpr uint64_t kDataThreshold = 4096;

void optimize(llvm::Module &m, llvm::TargetMachine &tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(m, mam);
}

std::string compile(llvm::Module &m, llvm::TargetMachine &tm, llvm::SmallVector<char, 0> &obj) {
  llvm::raw_svector_ostream os(obj);
  llvm::legacy::PassManager codegen;
  if (tm.addPassesToEmitFile(codegen, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return "the target cannot emit object files";
  codegen.run(m);
  return "";
}

size_t instructionCount(const llvm::Module &m) {
  size_t n = 0;
  for (const llvm::Function &f : m)
    n += f.getInstructionCount();
  return n;
}

} // namespace

std::string emitObjects(std::unique_ptr<llvm::Module> module, const TargetMachineFactory &factory,
                        unsigned parts, llvm::StringRef prefix, std::string *ir,
                        std::vector<llvm::SmallVector<char, 0>> &objects) {
  objects.clear();
  if (parts <= 1 || ir || instructionCount(*module) < kSplitThreshold) {
    auto tm = factory();
    optimize(*module, *tm);
    if (ir) {
      llvm::raw_string_ostream os(*ir);
      module->print(os, nullptr);
    }
    objects.emplace_back();
    return compile(*module, *tm, objects.back());
  }
  // Split parts see each other's private symbols as hidden globals: give
  // them names no other model uses.
  for (llvm::GlobalValue &gv : module->global_values())
    if (gv.hasLocalLinkage() && !gv.isDeclaration())
      gv.setName(prefix + "." + gv.getName());
  // The weights go to a data-only module compiled here: bitcode writes a
  // byte array one VBR record per element, far slower than the code.
  auto data = std::make_unique<llvm::Module>(prefix.str() + ".data", module->getContext());
  data->setDataLayout(module->getDataLayout());
  data->setTargetTriple(module->getTargetTriple());
  for (llvm::GlobalVariable &g : module->globals()) {
    if (g.isDeclaration() || !g.isConstant() ||
        module->getDataLayout().getTypeAllocSize(g.getValueType()) < kDataThreshold)
      continue;
    auto *copy = new llvm::GlobalVariable(*data, g.getValueType(), /*isConstant=*/true,
                                          llvm::GlobalValue::ExternalLinkage, g.getInitializer(),
                                          g.getName());
    copy->setAlignment(g.getAlign());
    copy->setVisibility(llvm::GlobalValue::HiddenVisibility);
    g.setInitializer(nullptr);
    g.setLinkage(llvm::GlobalValue::ExternalLinkage);
    g.setVisibility(llvm::GlobalValue::HiddenVisibility);
  }
  std::vector<llvm::SmallVector<char, 0>> bitcode;
  llvm::SplitModule(*module, parts, [&](std::unique_ptr<llvm::Module> part) {
    bitcode.emplace_back();
    llvm::raw_svector_ostream os(bitcode.back());
    llvm::WriteBitcodeToFile(*part, os);
  });
  objects.resize(bitcode.size() + 1);
  std::vector<std::string> errors(bitcode.size() + 1);
  {
    llvm::ThreadPoolStrategy threads = llvm::hardware_concurrency(parts);
    threads.Limit = true; // no more threads than the machine has
    llvm::DefaultThreadPool pool(threads);
    for (size_t i = 0; i < bitcode.size(); ++i)
      pool.async([&, i] {
        llvm::LLVMContext ctx;
        auto part = llvm::parseBitcodeFile(
            llvm::MemoryBufferRef(llvm::StringRef(bitcode[i].data(), bitcode[i].size()), "part"),
            ctx);
        if (!part) {
          errors[i] = llvm::toString(part.takeError());
          return;
        }
        auto tm = factory();
        optimize(**part, *tm);
        errors[i] = compile(**part, *tm, objects[i]);
      });
    // The data module lives in the original context: only this thread uses it.
    auto tm = factory();
    errors.back() = compile(*data, *tm, objects.back());
    pool.wait();
  }
  for (const std::string &e : errors)
    if (!e.empty())
      return e;
  return "";
}

} // namespace onnxc
