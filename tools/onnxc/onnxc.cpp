//===- onnxc.cpp - the onnxc command line ---------------------------------===//
//
//   onnxc model.onnx --name NAME -o DIR [--emit=lib|obj|llvm|mlir]
//   onnxc run model.onnx --input NAME=x.npy ... [--output-dir D]
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/Artifacts.h"
#include "compiler/driver/Compiler.h"
#include "compiler/driver/Registration.h"
#include "dialects/onnx/DataType.h"
#include "tools/onnxc/Npy.h"
#include "runtime-support/include/onnxc/parallel.h"
#include "runtime-support/include/onnxc/runtime.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <fmt/format.h>
#include <cstdlib>

using namespace llvm;

namespace {
cl::OptionCategory cat("onnxc options");
cl::SubCommand runCmd("run", "Compile a model, run it on .npy inputs, write .npy outputs");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                               cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()),
                               cl::sub(runCmd));
cl::opt<std::string> outDir("o", cl::desc("Output folder (default: .)"), cl::init("."),
                            cl::value_desc("dir"), cl::cat(cat));
cl::opt<std::string> modelName("name",
                               cl::desc("Symbol and file prefix (default: the file's stem)"),
                               cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()),
                               cl::sub(runCmd));
enum class Emit { Lib, Obj, LLVM, MLIR };
cl::opt<Emit> emit("emit", cl::desc("What to write"), cl::init(Emit::Lib),
                   cl::values(clEnumValN(Emit::Lib, "lib", "libNAME.a + NAME.h + NAME.hpp"),
                              clEnumValN(Emit::Obj, "obj", "NAME.o"),
                              clEnumValN(Emit::LLVM, "llvm", "NAME.ll (optimised LLVM IR)"),
                              clEnumValN(Emit::MLIR, "mlir", "the imported onnx dialect, to stdout")),
                   cl::cat(cat));
cl::opt<std::string> targetTriple("target", cl::desc("Target triple (default: host)"),
                                  cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()));
cl::opt<std::string> mcpu("mcpu", cl::desc("Target CPU (default: host CPU)"), cl::cat(cat),
                          cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::opt<std::string> mattr("mattr", cl::desc("Target features, e.g. +avx2,+fma"),
                           cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
// Registered as "threads" in main(): libLLVM already has an option by that name.
cl::opt<unsigned> threads(
    "onnxc-threads",
    cl::desc("1: single-threaded code; 0 (default): large loops run on the support "
             "runtime's pool, sized at run time (onnxc_set_num_threads, ONNXC_NUM_THREADS)"),
    cl::init(0), cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::list<std::string> dims("dim", cl::desc("Fix a symbolic input dim: --dim batch=1"),
                           cl::value_desc("name=size"), cl::cat(cat),
                           cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::list<std::string> shapes(
    "shape",
    cl::desc("Fix an input's structure: --shape x=2x3 (tensor), --shape s=[2x3,4x3] "
             "(sequence: its element shapes), --shape o=none (absent optional)"),
    cl::value_desc("name=spec"), cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()),
    cl::sub(runCmd));
cl::opt<int64_t> stringBytes(
    "string-bytes",
    cl::desc("Bytes per string element: strings are NUL-padded fixed-width records "
             "(a multiple of 16, default 32)"),
    cl::init(32), cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::opt<bool> winograd(
    "winograd",
    cl::desc("3x3 stride-1 convolutions with constant weights as Winograd F(2x2)/F(4x4) "
             "(default on; --winograd=false: direct, bit-closer to other engines)"),
    cl::init(true), cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::opt<int64_t> loopBound(
    "loop-bound",
    cl::desc("Most iterations of a Loop that carries sequences or optionals and has a run-time "
             "trip count or condition: it is unrolled that far, a run needing more fails "
             "(ONNXC_ERR_DATA); default 0: such a loop is a compile error"),
    cl::init(0), cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::opt<bool> timePasses("onnxc-time-passes", cl::desc("Time each compiler pass"), cl::cat(cat),
                         cl::sub(cl::SubCommand::getTopLevel()), cl::sub(runCmd));
cl::opt<bool> printIR("onnxc-print-ir", cl::desc("Print the IR after every pass"),
                      cl::cat(cat), cl::sub(cl::SubCommand::getTopLevel()));
cl::list<std::string> runInputs("input", cl::desc("NAME=file.npy (run)"),
                                cl::value_desc("name=file.npy"), cl::sub(runCmd));
cl::opt<std::string> runOutDir("output-dir", cl::desc("Where run writes outputs (default: .)"),
                               cl::init("."), cl::sub(runCmd));

/// Prints diagnostics as "onnxc: error: FILE: node 'N' (#I): message".
void printDiagnostic(mlir::Diagnostic &diag) {
  std::string where;
  mlir::Location loc = diag.getLocation();
  if (auto n = dyn_cast<mlir::NameLoc>(loc)) {
    if (auto f = dyn_cast<mlir::FileLineColLoc>(n.getChildLoc()))
      where = fmt::format("{}: node '{}' (#{}): ", f.getFilename().str(),
                          n.getName().str(), f.getLine());
    else
      where = fmt::format("node '{}': ", n.getName().str());
  } else if (auto f = dyn_cast<mlir::FileLineColLoc>(loc)) {
    where = f.getFilename().str() + ": ";
  }
  const char *sev = diag.getSeverity() == mlir::DiagnosticSeverity::Error ? "error"
                    : diag.getSeverity() == mlir::DiagnosticSeverity::Warning ? "warning"
                                                                              : "note";
  errs() << "onnxc: " << sev << ": " << where << diag.str() << "\n";
  for (auto &note : diag.getNotes())
    errs() << "onnxc: note: " << note.str() << "\n";
}

std::string defaultName(StringRef path) {
  std::string s;
  for (char c : sys::path::stem(path))
    s += isalnum(static_cast<unsigned char>(c)) ? char(tolower(c)) : '_';
  if (s.empty() || isdigit(static_cast<unsigned char>(s[0])))
    s = "m_" + s;
  return s;
}

bool parseOptions(onnxc::CompileOptions &o) {
  o.name = modelName.empty() ? defaultName(inputFile) : modelName.getValue();
  for (char c : o.name)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') {
      WithColor::error(errs(), "onnxc") << "--name '" << o.name
                                        << "' is not a C identifier\n";
      return false;
    }
  o.triple = targetTriple;
  o.cpu = mcpu;
  o.features = mattr;
  o.timePasses = timePasses;
  o.printIR = printIR;
  o.parallel = threads != 1;
  o.winograd = winograd;
  if (loopBound < 0) {
    WithColor::error(errs(), "onnxc") << "--loop-bound must not be negative\n";
    return false;
  }
  o.loopBound = loopBound;
  if (!onnxc::onnx::isValidStringRecordBytes(stringBytes)) {
    WithColor::error(errs(), "onnxc") << "--string-bytes must be a positive multiple of 16\n";
    return false;
  }
  o.stringBytes = stringBytes;
  for (const std::string &d : dims) {
    auto [k, v] = StringRef(d).split('=');
    int64_t n;
    if (k.empty() || v.getAsInteger(10, n) || n < 0) {
      WithColor::error(errs(), "onnxc") << "--dim expects name=size, got '" << d << "'\n";
      return false;
    }
    o.import.dimValues[k] = n;
  }
  for (const std::string &spec : shapes) {
    auto [k, v] = StringRef(spec).split('=');
    if (k.empty() || v.empty()) {
      WithColor::error(errs(), "onnxc") << "--shape expects name=spec, got '" << spec << "'\n";
      return false;
    }
    o.import.inputShapes[k] = v.str();
  }
  return true;
}

int fail(const Twine &msg) {
  WithColor::error(errs(), "onnxc") << msg << "\n";
  return 1;
}

int writeOrFail(StringRef path, StringRef data) {
  if (auto err = onnxc::writeFileAtomically(path, data))
    return fail(toString(std::move(err)));
  return 0;
}

int compileCommand(mlir::MLIRContext &ctx) {
  onnxc::CompileOptions o;
  if (!parseOptions(o))
    return 1;
  // A library may hold several object files: large models compile faster
  // split (Codegen.h). One object file is one object file.
  if (emit == Emit::Lib)
    o.codegenParts = 4;
  if (emit == Emit::MLIR) {
    auto module = onnxc::importModel(ctx, inputFile, o);
    if (!module)
      return 1;
    module->print(outs());
    return 0;
  }
  if (auto ec = sys::fs::create_directories(outDir))
    return fail("cannot create '" + outDir + "': " + ec.message());
  onnxc::CompiledModel m;
  if (!onnxc::compileModel(ctx, inputFile, o, m, emit == Emit::LLVM))
    return 1;
  auto path = [&](const Twine &file) {
    SmallString<256> p(outDir);
    sys::path::append(p, file);
    return std::string(p);
  };
  switch (emit) {
  case Emit::LLVM:
    return writeOrFail(path(o.name + ".ll"), m.llvmIR);
  case Emit::Obj:
    return writeOrFail(path(o.name + ".o"),
                       StringRef(m.objects.front().data(), m.objects.front().size()));
  case Emit::Lib: {
    // Headers first: a library without its header is useless, the reverse
    // is caught by the linker.
    if (int rc = writeOrFail(path(o.name + ".h"), onnxc::renderCHeader(m.signature)))
      return rc;
    if (int rc = writeOrFail(path(o.name + ".hpp"), onnxc::renderCppHeader(m.signature)))
      return rc;
    if (auto err = onnxc::writeArchive(path("lib" + o.name + ".a"), m.signature, m.objects))
      return fail(toString(std::move(err)));
    return 0;
  }
  default:
    return 0;
  }
}

int runCommand(mlir::MLIRContext &ctx) {
  onnxc::CompileOptions o;
  if (!parseOptions(o))
    return 1;
  onnxc::CompiledModel m;
  if (!onnxc::compileModel(ctx, inputFile, o, m))
    return 1;
  auto jit = orc::LLJITBuilder().create();
  if (!jit)
    return fail("JIT: " + toString(jit.takeError()));
  auto gen = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!gen)
    return fail("JIT: " + toString(gen.takeError()));
  (*jit)->getMainJITDylib().addGenerator(std::move(*gen));
  // The support runtime is linked into this tool, not exported from it.
  orc::SymbolMap runtime;
  runtime[(*jit)->mangleAndIntern("onnxc_parallel_for")] = {
      orc::ExecutorAddr::fromPtr(&onnxc_parallel_for), JITSymbolFlags::Exported};
  runtime[(*jit)->mangleAndIntern("onnxc_random_next")] = {
      orc::ExecutorAddr::fromPtr(&onnxc_random_next), JITSymbolFlags::Exported};
  runtime[(*jit)->mangleAndIntern("onnxc_strings_to_numbers")] = {
      orc::ExecutorAddr::fromPtr(&onnxc_strings_to_numbers), JITSymbolFlags::Exported};
  runtime[(*jit)->mangleAndIntern("onnxc_numbers_to_strings")] = {
      orc::ExecutorAddr::fromPtr(&onnxc_numbers_to_strings), JITSymbolFlags::Exported};
  if (auto err = (*jit)->getMainJITDylib().define(orc::absoluteSymbols(std::move(runtime))))
    return fail("JIT: " + toString(std::move(err)));
  for (const auto &object : m.objects)
    if (auto err = (*jit)->addObjectFile(MemoryBuffer::getMemBufferCopy(
            StringRef(object.data(), object.size()), o.name + ".o")))
      return fail("JIT: " + toString(std::move(err)));
  auto sym = (*jit)->lookup(o.name + "_info");
  if (!sym)
    return fail("JIT: " + toString(sym.takeError()));
  const onnxc_model_info *info = sym->toPtr<const onnxc_model_info *(*)()>()();

  // Inputs by name, checked against the model's signature.
  StringMap<onnxc::NpyArray> given;
  for (const std::string &spec : runInputs) {
    auto [k, v] = StringRef(spec).split('=');
    if (v.empty())
      return fail("--input expects NAME=file.npy, got '" + spec + "'");
    auto a = onnxc::readNpy(v.str());
    if (!a)
      return fail(toString(a.takeError()));
    given[k] = std::move(*a);
  }
  std::vector<const void *> ins;
  for (int i = 0; i < info->num_inputs; ++i) {
    const onnxc_tensor_info &t = info->inputs[i];
    auto it = given.find(t.name);
    if (it == given.end())
      return fail(Twine("missing input '") + t.name + "' (pass --input " + t.name + "=file.npy)");
    const onnxc::NpyArray &a = it->second;
    // numpy has no bfloat16, float8 or 4-bit types: their carriers stand in.
    if (a.dtype != t.dtype && a.dtype != onnxc::npyCarrier(t.dtype))
      return fail(Twine("input '") + t.name + "' is " + onnxc_dtype_name(a.dtype) +
                  ", the model expects " + onnxc_dtype_name(t.dtype));
    std::vector<int64_t> want(t.dims, t.dims + t.rank);
    if (a.shape != want) {
      std::string ws, gs;
      for (int64_t d : want) ws += fmt::format("{} ", d);
      for (int64_t d : a.shape) gs += fmt::format("{} ", d);
      return fail(Twine("input '") + t.name + "' has shape [ " + gs + "], the model expects [ " +
                  ws + "]");
    }
    if (t.dtype == ONNXC_DTYPE_STRING && a.stringBytes != t.elem_bytes) {
      // numpy sizes records by the longest string; the model's are fixed.
      std::string records(a.data.size() / std::max<int64_t>(a.stringBytes, 1) * t.elem_bytes, '\0');
      for (size_t e = 0; e * a.stringBytes < a.data.size(); ++e) {
        StringRef s = StringRef(a.data.data() + e * a.stringBytes, a.stringBytes);
        s = s.take_until([](char c) { return c == '\0'; });
        if (int64_t(s.size()) > t.elem_bytes)
          return fail(Twine("input '") + t.name + "': element " + Twine(e) + " has " +
                      Twine(s.size()) + " bytes, more than the model's " +
                      Twine(t.elem_bytes) + "-byte strings (compile with --string-bytes)");
        std::copy(s.begin(), s.end(), records.begin() + e * t.elem_bytes);
      }
      it->second.data = std::move(records);
      it->second.stringBytes = t.elem_bytes;
    }
    ins.push_back(a.data.data());
  }
  std::vector<onnxc::NpyArray> outsData(info->num_outputs);
  std::vector<void *> outs;
  for (int i = 0; i < info->num_outputs; ++i) {
    const onnxc_tensor_info &t = info->outputs[i];
    outsData[i].dtype = t.dtype;
    outsData[i].stringBytes = t.elem_bytes;
    outsData[i].shape.assign(t.dims, t.dims + t.rank);
    outsData[i].data.resize(std::max<int64_t>(onnxc_tensor_num_bytes(&t), 0));
    outs.push_back(outsData[i].data.data());
  }
  size_t align = info->arena_align ? info->arena_align : 64;
  void *arena = info->arena_size
                    ? std::aligned_alloc(align, (info->arena_size + align - 1) / align * align)
                    : nullptr;
  int rc = info->run(ins.data(), outs.data(), arena);
  std::free(arena);
  if (rc != ONNXC_OK)
    return fail(Twine("run failed: ") + onnxc_status_string(rc));
  if (auto ec = sys::fs::create_directories(runOutDir))
    return fail("cannot create '" + runOutDir + "': " + ec.message());
  for (int i = 0; i < info->num_outputs; ++i) {
    std::string file;
    for (char c : StringRef(info->outputs[i].name))
      file += isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
    SmallString<256> p(runOutDir);
    sys::path::append(p, file + ".npy");
    if (int r = writeOrFail(p, onnxc::encodeNpy(outsData[i])))
      return r;
    llvm::outs() << info->outputs[i].name << " -> " << p << "\n";
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(cat);
  cl::SetVersionPrinter([](raw_ostream &os) {
    os << "onnxc " ONNXC_VERSION " (LLVM/MLIR " LLVM_VERSION_STRING ")\n";
  });
  // Take "--threads" over from LLVM's own (unrelated) option of that name.
  for (cl::SubCommand *sub : {&cl::SubCommand::getTopLevel(), &runCmd}) {
    auto &registered = cl::getRegisteredOptions(*sub);
    auto it = registered.find("threads");
    if (it != registered.end() && it->second != &threads)
      it->second->setArgStr("llvm-threads");
  }
  threads.setArgStr("threads");
  cl::ParseCommandLineOptions(argc, argv,
                              "onnxc: ahead-of-time ONNX compiler\n\n"
                              "  onnxc model.onnx --name NAME -o DIR   -> libNAME.a NAME.h NAME.hpp\n"
                              "  onnxc run model.onnx --input X=x.npy  -> outputs as .npy\n");
  mlir::DialectRegistry registry;
  onnxc::registerAllOnnxcDialects(registry);
  onnxc::registerAllOnnxcPasses();
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  ctx.getDiagEngine().registerHandler([](mlir::Diagnostic &d) {
    printDiagnostic(d);
    return mlir::success();
  });
  if (runCmd)
    return runCommand(ctx);
  return compileCommand(ctx);
}
