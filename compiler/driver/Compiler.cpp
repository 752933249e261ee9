//===- Compiler.cpp - onnxc's pipeline: ONNX file -> object code ----------===//
//
// import -> onnx -> linalg -> bufferize -> arena plan -> loops -> LLVM
// dialect -> LLVM IR (+ entry points) -> O3 for the target -> object code,
// all in process.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Compiler.h"
#include "compiler/driver/Codegen.h"
#include "compiler/driver/EntryPoints.h"
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"

#include <chrono>
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;

namespace onnxc {

// Upstream passes by their textual names; the onnxc ones by theirs.
/// The lowering after import; `{simd}` is replaced by the target's SIMD
/// options for onnxc-lower-contractions.
static const char *kLoweringPipeline =
    "func.func(onnxc-fold-batchnorm),"
    "onnxc-check-legality,"
    "func.func(onnxc-make-signless,onnxc-lower-strings{strings}),"
    "onnxc-convert-onnx-to-linalg,"
    "canonicalize,cse,"
    "func.func(onnxc-fuse-elementwise),"
    "canonicalize,"
    "func.func(onnxc-distinct-results),eliminate-empty-tensors,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{modify-public-functions hoist-static-allocs},"
    "cse,canonicalize,"
    "onnxc-lower-contractions{simd},"
    "func.func(onnxc-plan-arena,onnxc-copy-to-linalg),"
    "onnxc-vectorize-elementwise{bits},"
    "convert-linalg-to-loops,"
    "arith-expand{include-bf16},"
    "canonicalize,cse,"
    "lower-affine,expand-strided-metadata,lower-affine,"
    "convert-math-to-funcs,convert-scf-to-cf,"
    "convert-math-to-llvm,convert-math-to-libm,"
    "convert-vector-to-llvm,"
    "finalize-memref-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,"
    "convert-func-to-llvm,convert-index-to-llvm,"
    "reconcile-unrealized-casts,"
    "onnxc-lower-dispatch";

OwningOpRef<ModuleOp> importModel(MLIRContext &ctx, StringRef path,
                                  const CompileOptions &options) {
  ImportOptions io = options.import;
  io.funcName = options.name + "__impl";
  auto module = importModelFile(ctx, path, io);
  if (!module || failed(verify(*module)))
    return nullptr;
  // Exporters compute shapes at run time; fold that arithmetic now so that
  // every type (and the model's signature) is as static as it can be.
  PassManager pm(&ctx);
  std::string pipeline = llvm::formatv("func.func(onnxc-fold-shapes,onnxc-flatten-sequences{{loop-bound={0}},"
                                       "onnxc-fold-shapes,onnxc-refine-from-uses,onnxc-infer-shapes),"
                                       "canonicalize",
                                       options.loopBound)
                             .str();
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())) ||
      failed(pm.run(*module)))
    return nullptr;
  return module;
}

LogicalResult lowerToLLVMDialect(ModuleOp module, const CompileOptions &options) {
  PassManager pm(module.getContext());
  if (options.printIR) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting();
  }
  if (options.timePasses)
    pm.enableTiming();
  std::string pipeline = kLoweringPipeline;
  pipeline.replace(pipeline.find("{simd}"), 6,
                   llvm::formatv("{{vector-bits={0} fma={1} parallel={2} winograd={3}}",
                                 options.simd.vectorBits, options.simd.fma ? "true" : "false",
                                 options.parallel ? "true" : "false",
                                 options.winograd ? "true" : "false")
                       .str());
  pipeline.replace(pipeline.find("{bits}"), 6,
                   llvm::formatv("{{vector-bits={0} parallel={1}}", options.simd.vectorBits,
                                 options.parallel ? "true" : "false")
                       .str());
  pipeline.replace(pipeline.find("{strings}"), 9,
                   llvm::formatv("{{string-bytes={0}}", options.stringBytes).str());
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    return failure();
  return pm.run(module);
}

/// Reads the entry function's signature (after arena planning, before LLVM
/// conversion the types are gone, so it is taken from the onnx module).
static ModelSignature readSignature(func::FuncOp f, const CompileOptions &o) {
  ModelSignature sig;
  sig.name = o.name;
  auto tensorSig = [&](Type t, DictionaryAttr attrs) {
    TensorSignature s;
    if (attrs)
      if (auto n = attrs.getAs<StringAttr>("onnx.name"))
        s.name = n.str();
    auto rt = dyn_cast<RankedTensorType>(t);
    if (rt) {
      s.dtype = onnx::getDataType(rt.getElementType()).value_or(0);
      // Strings are records; 4-bit values take a byte each (sign-extended).
      s.elemBytes = isa<onnx::StringType>(rt.getElementType()) ? o.stringBytes
                    : rt.getElementType().getIntOrFloatBitWidth() < 8 ? 1
                                                                     : onnx::getDataTypeSize(s.dtype);
      for (int64_t d : rt.getShape())
        s.dims.push_back(ShapedType::isDynamic(d) ? -1 : d);
    }
    ArrayAttr params = attrs ? attrs.getAs<ArrayAttr>("onnx.dim_params") : nullptr;
    for (size_t i = 0; i < s.dims.size(); ++i)
      s.dimParams.push_back(params && i < params.size()
                                ? cast<StringAttr>(params[i]).str()
                                : std::string());
    return s;
  };
  for (unsigned i = 0; i < f.getNumArguments(); ++i)
    sig.inputs.push_back(tensorSig(f.getArgumentTypes()[i], f.getArgAttrDict(i)));
  for (unsigned i = 0; i < f.getNumResults(); ++i)
    sig.outputs.push_back(tensorSig(f.getResultTypes()[i], f.getResultAttrDict(i)));
  return sig;
}

static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const CompileOptions &o, std::string &error) {
  static bool init = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)init;
  llvm::Triple triple(o.triple.empty() ? llvm::sys::getDefaultTargetTriple()
                                       : o.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = o.cpu, features = o.features;
  if (o.triple.empty() && cpu.empty()) {
    // Host default: the generic CPU would lose AVX-512/FMA (7x slower).
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto &[name, on] : llvm::sys::getHostCPUFeatures())
      f.AddFeature(name, on);
    if (features.empty())
      features = f.getString();
  }
  llvm::TargetOptions to;
  auto tm = std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, cpu, features, to, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    error = "cannot create a target machine for " + triple.str();
  return tm;
}

/// Register width and FMA from the target's features, those the CPU name
/// implies included (x86 and AArch64; any other target gets the portable
/// 128-bit, no-FMA code).
static CompileOptions::Simd simdFor(const llvm::TargetMachine &tm) {
  CompileOptions::Simd simd;
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  auto has = [&](llvm::StringRef f) { return sti && sti->checkFeatures(("+" + f).str()); };
  if (tm.getTargetTriple().isX86()) {
    simd.vectorBits = has("avx512f") ? 512 : has("avx") ? 256 : 128;
    simd.fma = has("fma") || has("avx512f");
  } else if (tm.getTargetTriple().isAArch64()) {
    simd.fma = true;
  }
  return simd;
}

namespace {
/// Wall time of the driver's phases, printed with --onnxc-time-passes.
struct PhaseTimer {
  bool enabled;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  void operator()(const char *phase) {
    auto now = std::chrono::steady_clock::now();
    if (enabled)
      llvm::errs() << llvm::format("onnxc: %-28s %8.3f s\n", phase,
                                   std::chrono::duration<double>(now - last).count());
    last = now;
  }
};
} // namespace

bool compileModel(MLIRContext &ctx, StringRef path, const CompileOptions &options,
                  CompiledModel &out, bool wantIR) {
  PhaseTimer phase{options.timePasses};
  OwningOpRef<ModuleOp> module = importModel(ctx, path, options);
  phase("import");
  if (!module)
    return false;
  std::string implName = options.name + "__impl";
  auto func = module->lookupSymbol<func::FuncOp>(implName);
  out.signature = readSignature(func, options);
  for (auto *list : {&out.signature.inputs, &out.signature.outputs})
    for (auto &t : *list)
      if (llvm::is_contained(t.dims, -1) || t.dtype == 0) {
        emitError(func.getLoc())
            << "'" << t.name
            << "' has a symbolic or unknown shape; fix symbolic dims with "
               "--dim NAME=SIZE (bounded dynamic shapes are not supported yet)";
        return false;
      }
  std::string error;
  auto tm = createTargetMachine(options, error);
  if (!tm) {
    emitError(module->getLoc()) << error;
    return false;
  }
  CompileOptions lowering = options;
  lowering.simd = simdFor(*tm);
  if (failed(lowerToLLVMDialect(*module, lowering)))
    return false;
  phase("MLIR lowering");
  auto llvmFunc = module->lookupSymbol<LLVM::LLVMFuncOp>(implName);
  if (auto a = llvmFunc->getAttrOfType<IntegerAttr>("onnxc.arena_size"))
    out.signature.arenaSize = a.getInt();
  if (auto a = llvmFunc->getAttrOfType<IntegerAttr>("onnxc.arena_align"))
    out.signature.arenaAlign = a.getInt();
  out.signature.statusWord = llvmFunc->hasAttr("onnxc.status_word");

  // Large weights bypass MLIR's element-wise constant translation (about
  // 10 s for resnet18's 46 MB): detach them here, reattach the raw bytes
  // as i8 arrays after translation (which the asm printer also emits as
  // one block). float8 and 4-bit constants, which that translation does not
  // take at all, are detached at any size (one byte per element).
  struct Detached {
    std::string name;
    ArrayRef<char> bytes;
    DenseResourceElementsAttr resource; // freed once copied into LLVM
  };
  std::vector<Detached> detached;
  std::vector<std::vector<char>> splatBytes; // storage for expanded splats
  module->walk([&](LLVM::GlobalOp g) {
    auto elements = dyn_cast_or_null<ElementsAttr>(g.getValueOrNull());
    if (!elements || !elements.getElementType().isIntOrFloat() ||
        elements.getElementType().isInteger(1))
      return;
    Type elem = elements.getElementType();
    bool narrow = elem.getIntOrFloatBitWidth() < 8 ||
                  (isa<FloatType>(elem) && elem.getIntOrFloatBitWidth() == 8);
    if (elements.getNumElements() < 256 && !narrow)
      return;
    ArrayRef<char> raw;
    DenseResourceElementsAttr resource;
    if (auto r = dyn_cast<DenseResourceElementsAttr>(elements)) {
      AsmResourceBlob *blob = r.getRawHandle().getBlob();
      if (!blob)
        return;
      raw = blob->getData();
      resource = r;
    } else if (auto d = dyn_cast<DenseElementsAttr>(elements)) {
      if (d.isSplat() && !narrow)
        return;
      raw = d.getRawData();
      if (d.isSplat()) {
        splatBytes.emplace_back(size_t(d.getNumElements()), raw.front());
        raw = splatBytes.back();
      }
    } else {
      return;
    }
    detached.push_back({g.getSymName().str(), raw, resource});
    g.removeValueAttr();
    g.setLinkage(LLVM::Linkage::External);
  });

  llvm::LLVMContext llvmCtx;
  auto llvmModule = translateModuleToLLVMIR(*module, llvmCtx, options.name);
  if (!llvmModule) {
    emitError(module->getLoc()) << "translation to LLVM IR failed";
    return false;
  }
  for (const Detached &d : detached) {
    llvm::GlobalVariable *old = llvmModule->getGlobalVariable(d.name, true);
    if (!old)
      continue;
    auto *init = llvm::ConstantDataArray::getRaw(
        StringRef(d.bytes.data(), d.bytes.size()), d.bytes.size(),
        llvm::Type::getInt8Ty(llvmCtx));
    auto *gv = new llvm::GlobalVariable(*llvmModule, init->getType(), true,
                                        llvm::GlobalValue::PrivateLinkage, init);
    gv->setAlignment(std::max(old->getAlign().valueOrOne(), llvm::Align(64)));
    gv->takeName(old);
    old->replaceAllUsesWith(gv);
    old->eraseFromParent();
    // The LLVM constant owns a copy now; drop the imported bytes so that
    // peak memory stays near two copies of the weights.
    if (d.resource)
      d.resource.getRawHandle().getResource()->setBlob(AsmResourceBlob());
  }
  phase("translation to LLVM IR");
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  if (failed(emitEntryPoints(*llvmModule, implName, out.signature))) {
    emitError(module->getLoc()) << "cannot emit entry points";
    return false;
  }

  std::string codegenError = emitObjects(
      std::move(llvmModule),
      [&] {
        std::string unused; // the same target was created above
        return createTargetMachine(options, unused);
      },
      options.codegenParts, options.name, wantIR ? &out.llvmIR : nullptr, out.objects);
  if (!codegenError.empty()) {
    emitError(module->getLoc()) << codegenError;
    return false;
  }
  phase("LLVM O3 + object code");
  return true;
}

} // namespace onnxc
