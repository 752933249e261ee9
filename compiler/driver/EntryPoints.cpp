//===- EntryPoints.cpp - C entry points and reflection in LLVM IR ---------===//
//
// The lowered model function takes MLIR memref descriptors; users want
// plain pointers. The wrappers built here check their arguments (null
// pointers, arena alignment), build static descriptors and call the model.
// The reflection structs match onnxc/runtime.h field for field.
//
//===----------------------------------------------------------------------===//
#include "compiler/driver/EntryPoints.h"
#include "runtime-support/include/onnxc/runtime.h"

#include "llvm/IR/IRBuilder.h"

using namespace llvm;

namespace onnxc {

mlir::LogicalResult emitEntryPoints(Module &m, StringRef implName,
                                    const ModelSignature &sig) {
  Function *impl = m.getFunction(implName);
  if (!impl)
    return mlir::failure();
  impl->setLinkage(GlobalValue::InternalLinkage);
  LLVMContext &ctx = m.getContext();
  IRBuilder<> b(ctx);
  Type *ptr = PointerType::get(ctx, 0);
  Type *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
  size_t nIn = sig.inputs.size(), nOut = sig.outputs.size();
  std::string name = sig.name;

  // int NAME_run_v(const void *const *ins, void *const *outs, void *arena)
  auto *runVTy = FunctionType::get(i32, {ptr, ptr, ptr}, false);
  Function *runV = Function::Create(runVTy, GlobalValue::ExternalLinkage,
                                    name + "_run_v", m);
  {
    BasicBlock *entry = BasicBlock::Create(ctx, "entry", runV);
    BasicBlock *fail = BasicBlock::Create(ctx, "null", runV);
    b.SetInsertPoint(fail);
    b.CreateRet(b.getInt32(ONNXC_ERR_NULL_ARGUMENT));
    BasicBlock *misaligned = BasicBlock::Create(ctx, "misaligned", runV);
    b.SetInsertPoint(misaligned);
    b.CreateRet(b.getInt32(ONNXC_ERR_ARENA_ALIGNMENT));

    b.SetInsertPoint(entry);
    Value *ins = runV->getArg(0), *outs = runV->getArg(1), *arena = runV->getArg(2);
    auto checkNull = [&](Value *p) {
      BasicBlock *next = BasicBlock::Create(ctx, "ok", runV);
      b.CreateCondBr(b.CreateIsNull(p), fail, next);
      b.SetInsertPoint(next);
    };
    if (nIn)
      checkNull(ins);
    if (nOut)
      checkNull(outs);
    if (sig.arenaSize > 0) {
      checkNull(arena);
      Value *low = b.CreateAnd(b.CreatePtrToInt(arena, i64), sig.arenaAlign - 1);
      BasicBlock *next = BasicBlock::Create(ctx, "aligned", runV);
      b.CreateCondBr(b.CreateICmpNE(low, b.getInt64(0)), misaligned, next);
      b.SetInsertPoint(next);
    }
    SmallVector<Value *> args;
    auto addDescriptor = [&](Value *p, ArrayRef<int64_t> dims) {
      args.push_back(p);
      args.push_back(p);
      args.push_back(b.getInt64(0));
      for (int64_t d : dims)
        args.push_back(b.getInt64(d));
      int64_t stride = 1;
      SmallVector<int64_t> strides(dims.size());
      for (size_t i = dims.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= dims[i];
      }
      for (int64_t s : strides)
        args.push_back(b.getInt64(s));
    };
    auto loadPtr = [&](Value *array, size_t i) {
      Value *p = b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, array, i));
      checkNull(p);
      return p;
    };
    for (size_t i = 0; i < nIn; ++i)
      addDescriptor(loadPtr(ins, i), sig.inputs[i].dims);
    SmallVector<Value *> outPtrs;
    for (size_t i = 0; i < nOut; ++i) {
      outPtrs.push_back(loadPtr(outs, i));
      addDescriptor(outPtrs.back(), sig.outputs[i].dims);
    }
    addDescriptor(arena, {sig.arenaSize});
    if (args.size() != impl->arg_size())
      return mlir::failure();
    if (sig.statusWord)
      b.CreateStore(b.getInt32(ONNXC_OK), arena);
    b.CreateCall(impl, args);
    // 4-bit outputs are stored a byte each with the high bits unspecified
    // (LLVM's i4 in memory): make each byte the value, sign-extended for
    // int4, as the header promises.
    for (size_t i = 0; i < nOut; ++i) {
      int64_t dt = sig.outputs[i].dtype;
      if (dt != ONNXC_DTYPE_INT4 && dt != ONNXC_DTYPE_UINT4)
        continue;
      int64_t count = 1;
      for (int64_t d : sig.outputs[i].dims)
        count *= d;
      BasicBlock *pre = b.GetInsertBlock();
      BasicBlock *loop = BasicBlock::Create(ctx, "nibbles", runV);
      BasicBlock *done = BasicBlock::Create(ctx, "nibbles.done", runV);
      b.CreateCondBr(b.getInt1(count > 0), loop, done);
      b.SetInsertPoint(loop);
      PHINode *k = b.CreatePHI(i64, 2);
      k->addIncoming(b.getInt64(0), pre);
      Value *p = b.CreateGEP(b.getInt8Ty(), outPtrs[i], k);
      Value *v = b.CreateLoad(b.getInt8Ty(), p);
      v = dt == ONNXC_DTYPE_INT4 ? b.CreateAShr(b.CreateShl(v, 4), 4) : b.CreateAnd(v, 0xF);
      b.CreateStore(v, p);
      Value *next = b.CreateAdd(k, b.getInt64(1));
      k->addIncoming(next, loop);
      b.CreateCondBr(b.CreateICmpULT(next, b.getInt64(count)), loop, done);
      b.SetInsertPoint(done);
    }
    b.CreateRet(sig.statusWord ? static_cast<Value *>(b.CreateLoad(i32, arena)) : b.getInt32(ONNXC_OK));
  }

  // int NAME_run(const T *in..., T *out..., void *arena)
  SmallVector<Type *> params(nIn + nOut + 1, ptr);
  Function *run = Function::Create(FunctionType::get(i32, params, false),
                                   GlobalValue::ExternalLinkage, name + "_run", m);
  {
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", run));
    Value *insArr = b.CreateAlloca(ptr, b.getInt32(std::max<size_t>(nIn, 1)));
    Value *outsArr = b.CreateAlloca(ptr, b.getInt32(std::max<size_t>(nOut, 1)));
    for (size_t i = 0; i < nIn; ++i)
      b.CreateStore(run->getArg(i), b.CreateConstGEP1_64(ptr, insArr, i));
    for (size_t i = 0; i < nOut; ++i)
      b.CreateStore(run->getArg(nIn + i), b.CreateConstGEP1_64(ptr, outsArr, i));
    b.CreateRet(b.CreateCall(runV, {insArr, outsArr, run->getArg(nIn + nOut)}));
  }

  // Reflection: onnxc_tensor_info[] and onnxc_model_info.
  StructType *tensorInfoTy = StructType::get(ctx, {ptr, i32, i32, ptr, i64});
  StructType *modelInfoTy =
      StructType::get(ctx, {ptr, i32, i32, ptr, ptr, i64, i64, ptr});
  auto str = [&](StringRef s, const Twine &sym) -> Constant * {
    return b.CreateGlobalString(s, sym, 0, &m);
  };
  b.SetInsertPoint(BasicBlock::Create(ctx, "tmp", run)); // for CreateGlobalString
  auto tensorArray = [&](const std::vector<TensorSignature> &ts,
                         StringRef kind) -> Constant * {
    if (ts.empty())
      return ConstantPointerNull::get(cast<PointerType>(ptr));
    SmallVector<Constant *> elems;
    for (auto [i, t] : llvm::enumerate(ts)) {
      Constant *dims = ConstantPointerNull::get(cast<PointerType>(ptr));
      if (!t.dims.empty()) {
        auto *arrTy = ArrayType::get(i64, t.dims.size());
        SmallVector<Constant *> ds;
        for (int64_t d : t.dims)
          ds.push_back(b.getInt64(d));
        dims = new GlobalVariable(m, arrTy, true, GlobalValue::PrivateLinkage,
                                  ConstantArray::get(arrTy, ds),
                                  name + "_" + kind + "_dims_" + Twine(i));
      }
      elems.push_back(ConstantStruct::get(
          tensorInfoTy, {str(t.name, name + "_" + kind + "_name_" + Twine(i)),
                         b.getInt32(t.dtype), b.getInt32(t.dims.size()), dims,
                         b.getInt64(t.elemBytes)}));
    }
    auto *arrTy = ArrayType::get(tensorInfoTy, elems.size());
    return new GlobalVariable(m, arrTy, true, GlobalValue::PrivateLinkage,
                              ConstantArray::get(arrTy, elems),
                              name + "_" + kind + "_info");
  };
  Constant *inArr = tensorArray(sig.inputs, "input");
  Constant *outArr = tensorArray(sig.outputs, "output");
  Constant *modelName = str(name, name + "_model_name");
  b.GetInsertBlock()->eraseFromParent();
  auto *info = new GlobalVariable(
      m, modelInfoTy, true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(modelInfoTy,
                          {modelName, b.getInt32(nIn), b.getInt32(nOut), inArr, outArr,
                           b.getInt64(sig.arenaSize), b.getInt64(sig.arenaAlign), runV}),
      name + "_model_info");
  Function *infoFn = Function::Create(FunctionType::get(ptr, {}, false),
                                      GlobalValue::ExternalLinkage, name + "_info", m);
  b.SetInsertPoint(BasicBlock::Create(ctx, "entry", infoFn));
  b.CreateRet(info);
  return mlir::success();
}

} // namespace onnxc
