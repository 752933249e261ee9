//===- ModelImporter.cpp - ONNX ModelProto -> onnx dialect ----------------===//
//
// Walks the graph in node order (ONNX requires topological order), creating
// one onnx op per node and inferring its result types right away so that
// the next node sees typed operands. Subgraph attributes become regions;
// nodes calling model-local functions are inlined. Unknown op types become
// onnx.Custom so that a later legality check can list all of them at once.
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Gradient.h"
#include "compiler/importer/Importer.h"
#include "compiler/importer/OpTable.h"
#include "compiler/importer/TensorImport.h"
#include "compiler/importer/Upgrade.h"
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>

using namespace mlir;

namespace onnxc {

namespace {

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, proto::ModelProto &model, StringRef file,
                const ImportOptions &options)
      : ctx(ctx), b(&ctx), model(model), file(file.str()), options(options) {
    tensorCtx.modelDir = llvm::sys::path::parent_path(file).str();
    tensorCtx.denseElementLimit = options.denseElementLimit;
    for (const auto &o : model.opset_import())
      opsets[o.domain() == "ai.onnx" ? "" : o.domain()] = o.version();
    for (const auto &f : model.functions())
      functions[(f.domain() + ":" + f.name())] = &f;
  }

  OwningOpRef<ModuleOp> run();

private:
  using Scope = llvm::StringMap<Value>;
  using AttrSubst = llvm::StringMap<const proto::AttributeProto *>;

  Location nodeLoc(const proto::NodeProto &node, int index) {
    std::string name = node.name().empty()
                           ? node.op_type() + "_" + std::to_string(index)
                           : node.name();
    return NameLoc::get(b.getStringAttr(name),
                        FileLineColLoc::get(&ctx, file, index, 0));
  }
  Location fileLoc() { return FileLineColLoc::get(&ctx, file, 0, 0); }
  /// The location carries the node's name and index; the message adds the
  /// op type.
  InFlightDiagnostic nodeError(Location loc, const proto::NodeProto &node) {
    return emitError(loc) << node.op_type() << ": ";
  }

  Type importType(const proto::TypeProto &t, StringRef valueName);
  Value lookup(StringRef name) {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it)
      if (auto v = it->find(name); v != it->end())
        return v->second;
    return nullptr;
  }
  Type valueInfoType(StringRef name) {
    for (auto it = valueInfos.rbegin(); it != valueInfos.rend(); ++it)
      if (auto v = it->find(name); v != it->end())
        return importType(*v->second, name);
    return nullptr;
  }

  LogicalResult importInitializers(proto::GraphProto &g);
  LogicalResult importNodes(const google::protobuf::RepeatedPtrField<proto::NodeProto> &nodes,
                            const AttrSubst *subst);
  LogicalResult importNode(const proto::NodeProto &node, int index,
                           const AttrSubst *subst);
  LogicalResult importFunctionCall(const proto::NodeProto &node, int index,
                                   const proto::FunctionProto &f,
                                   const AttrSubst *subst);
  LogicalResult importSubgraph(const proto::GraphProto &g, Region &region,
                               Location loc);
  LogicalResult importScan8(const proto::NodeProto &node, Location loc, ArrayRef<Value> inputs,
                            ArrayRef<const proto::AttributeProto *> attrs);
  FailureOr<Attribute> importAttr(const proto::AttributeProto &a,
                                  AttrKind kind, Location loc,
                                  const proto::NodeProto &node);
  FailureOr<Attribute> importConstantValue(const proto::NodeProto &node,
                                           ArrayRef<const proto::AttributeProto *> attrs,
                                           Location loc);
  Value noValue(Location loc) { return onnx::NoValueOp::create(b, loc); }

  /// A graph input as function arguments: a tensor is one; a sequence one
  /// per element; an optional its payload's, none when absent.
  struct InputLayout {
    std::string name;
    Type type;
    bool absent = false;
    SmallVector<Type> argTypes;
    SmallVector<std::string> argNames;
    size_t firstArg = 0;
  };
  FailureOr<InputLayout> layoutInput(const proto::ValueInfoProto &in);
  Value buildInput(const InputLayout &layout, ValueRange args);

  MLIRContext &ctx;
  OpBuilder b;
  proto::ModelProto &model;
  std::string file;
  const ImportOptions &options;
  TensorImportContext tensorCtx;
  llvm::StringMap<int64_t> opsets;
  llvm::StringMap<const proto::FunctionProto *> functions;
  SmallVector<Scope> scopes;
  SmallVector<llvm::StringMap<const proto::TypeProto *>> valueInfos;
  unsigned numErrors = 0;
};

Type GraphImporter::importType(const proto::TypeProto &t, StringRef valueName) {
  if (t.has_tensor_type()) {
    const auto &tt = t.tensor_type();
    Type elem = onnx::getElementType(&ctx, tt.elem_type());
    if (!elem)
      return nullptr;
    if (!tt.has_shape())
      return UnrankedTensorType::get(elem);
    SmallVector<int64_t> dims;
    for (const auto &d : tt.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() >= 0)
        dims.push_back(d.dim_value());
      else if (d.has_dim_param() && options.dimValues.count(d.dim_param()))
        dims.push_back(options.dimValues.lookup(d.dim_param()));
      else
        dims.push_back(ShapedType::kDynamic);
    }
    return RankedTensorType::get(dims, elem);
  }
  if (t.has_sequence_type()) {
    Type e = importType(t.sequence_type().elem_type(), valueName);
    return e ? onnx::SeqType::get(&ctx, e) : nullptr;
  }
  if (t.has_optional_type()) {
    Type e = importType(t.optional_type().elem_type(), valueName);
    return e ? onnx::OptType::get(&ctx, e) : nullptr;
  }
  return nullptr;
}

/// Applies a --shape spec ("2x3", "scalar", "[2x3,4x3]", "[]", "none") to
/// the input's declared type; the spec must agree with the declared dims.
FailureOr<GraphImporter::InputLayout>
GraphImporter::layoutInput(const proto::ValueInfoProto &in) {
  InputLayout l;
  l.name = in.name();
  l.type = importType(in.type(), in.name());
  if (!l.type) {
    emitError(fileLoc()) << "graph input '" << in.name()
                         << "' has an unsupported or missing type";
    return failure();
  }
  auto it = options.inputShapes.find(in.name());
  std::optional<StringRef> spec;
  if (it != options.inputShapes.end())
    spec = StringRef(it->second).trim();
  auto fail = [&](const Twine &why) {
    emitError(fileLoc()) << "graph input '" << in.name() << "' (" << l.type
                         << "): " << why;
    return failure();
  };
  // One tensor shape against the declared tensor type.
  auto shaped = [&](StringRef dims, Type declared) -> FailureOr<Type> {
    auto tt = cast<TensorType>(declared);
    SmallVector<int64_t> shape;
    if (dims != "scalar") {
      SmallVector<StringRef> parts;
      dims.split(parts, 'x');
      for (StringRef p : parts) {
        int64_t d;
        if (p.trim().getAsInteger(10, d) || d < 0)
          return fail("--shape '" + dims + "' is not a shape like 2x3 or scalar");
        shape.push_back(d);
      }
    }
    if (auto rt = dyn_cast<RankedTensorType>(tt)) {
      bool ok = rt.getRank() == int64_t(shape.size());
      for (size_t i = 0; ok && i < shape.size(); ++i)
        ok = rt.isDynamicDim(i) || rt.getDimSize(i) == shape[i];
      if (!ok)
        return fail("--shape '" + dims + "' contradicts the declared shape");
    }
    return Type(RankedTensorType::get(shape, tt.getElementType()));
  };
  Type payload = l.type;
  std::string prefix = l.name;
  if (auto opt = dyn_cast<onnx::OptType>(l.type)) {
    if (!spec)
      return fail("an optional input needs --shape " + l.name +
                  "=none (absent) or the shape of its value");
    if (*spec == "none") {
      l.absent = true;
      return l;
    }
    payload = opt.getElementType();
  }
  if (auto seq = dyn_cast<onnx::SeqType>(payload)) {
    if (!spec || !spec->starts_with("[") || !spec->ends_with("]"))
      return fail("a sequence input needs its length and element shapes: --shape " +
                  l.name + "=[2x3,2x3] ([] when empty)");
    StringRef body = spec->drop_front().drop_back().trim();
    SmallVector<StringRef> elems;
    if (!body.empty())
      body.split(elems, ',');
    for (auto [i, e] : llvm::enumerate(elems)) {
      FailureOr<Type> t = shaped(e.trim(), seq.getElementType());
      if (failed(t))
        return failure();
      l.argTypes.push_back(*t);
      l.argNames.push_back(prefix + "." + std::to_string(i));
    }
    return l;
  }
  if (!spec) {
    l.argTypes.push_back(payload);
  } else {
    FailureOr<Type> t = shaped(*spec, payload);
    if (failed(t))
      return failure();
    l.argTypes.push_back(*t);
    if (!isa<onnx::OptType>(l.type))
      l.type = *t;
  }
  l.argNames.push_back(prefix);
  return l;
}

/// The input's value in the entry block, from its arguments.
Value GraphImporter::buildInput(const InputLayout &l, ValueRange args) {
  Location loc = NameLoc::get(b.getStringAttr(l.name), fileLoc());
  auto opt = dyn_cast<onnx::OptType>(l.type);
  Type payload = opt ? opt.getElementType() : l.type;
  if (l.absent)
    return onnx::OptionalOp::create(b, loc, l.type, noValue(loc), TypeAttr::get(payload));
  ValueRange mine = args.slice(l.firstArg, l.argTypes.size());
  Value v;
  if (auto seq = dyn_cast<onnx::SeqType>(payload)) {
    auto elem = cast<TensorType>(seq.getElementType()).getElementType();
    if (mine.empty())
      v = onnx::SequenceEmptyOp::create(
          b, loc, seq, b.getI64IntegerAttr(onnx::getDataType(elem).value_or(1)));
    else
      v = onnx::SequenceConstructOp::create(b, loc, seq, mine);
  } else {
    v = mine.front();
  }
  if (opt)
    v = onnx::OptionalOp::create(b, loc, l.type, v, TypeAttr());
  return v;
}

LogicalResult GraphImporter::importInitializers(proto::GraphProto &g) {
  for (auto &init : *g.mutable_initializer()) {
    Location loc = NameLoc::get(b.getStringAttr(init.name()), fileLoc());
    auto value = importTensor(init, loc, tensorCtx);
    if (failed(value))
      return failure();
    scopes.back()[init.name()] = onnx::createConstant(b, loc, *value);
  }
  return success();
}

FailureOr<Attribute>
GraphImporter::importAttr(const proto::AttributeProto &a, AttrKind kind,
                          Location loc, const proto::NodeProto &node) {
  using AP = proto::AttributeProto;
  static const std::pair<AttrKind, AP::AttributeType> kinds[] = {
      {AttrKind::Float, AP::FLOAT},   {AttrKind::Int, AP::INT},
      {AttrKind::String, AP::STRING}, {AttrKind::Tensor, AP::TENSOR},
      {AttrKind::Graph, AP::GRAPH},   {AttrKind::Floats, AP::FLOATS},
      {AttrKind::Ints, AP::INTS},     {AttrKind::Strings, AP::STRINGS},
      {AttrKind::TypeProto, AP::TYPE_PROTO}, {AttrKind::Tensors, AP::TENSORS},
      {AttrKind::SparseTensor, AP::SPARSE_TENSOR}, {AttrKind::Graphs, AP::GRAPHS},
  };
  AP::AttributeType expected = AP::UNDEFINED;
  for (auto [k, t] : kinds)
    if (k == kind)
      expected = t;
  // Old exporters leave `type` unset; trust the schema then.
  if (a.type() != AP::UNDEFINED && a.type() != expected)
    return nodeError(loc, node)
               << "attribute '" << a.name() << "' has type "
               << AP::AttributeType_Name(a.type()) << ", expected "
               << AP::AttributeType_Name(expected),
           failure();
  switch (kind) {
  case AttrKind::Float: return Attribute(b.getF32FloatAttr(a.f()));
  case AttrKind::Int: return Attribute(b.getI64IntegerAttr(a.i()));
  case AttrKind::String: return Attribute(b.getStringAttr(a.s()));
  case AttrKind::Ints:
    return Attribute(b.getDenseI64ArrayAttr(
        SmallVector<int64_t>(a.ints().begin(), a.ints().end())));
  case AttrKind::Floats:
    return Attribute(b.getDenseF32ArrayAttr(
        SmallVector<float>(a.floats().begin(), a.floats().end())));
  case AttrKind::Strings:
    return Attribute(b.getStrArrayAttr(
        SmallVector<StringRef>(a.strings().begin(), a.strings().end())));
  case AttrKind::Tensor: {
    proto::TensorProto t = a.t();
    auto v = importTensor(t, loc, tensorCtx);
    if (failed(v))
      return failure();
    return Attribute(*v);
  }
  case AttrKind::TypeProto: {
    Type t = importType(a.tp(), a.name());
    if (!t)
      return nodeError(loc, node) << "attribute '" << a.name()
                                         << "': unsupported type", failure();
    return Attribute(TypeAttr::get(t));
  }
  default:
    return nodeError(loc, node)
               << "attribute '" << a.name() << "' of kind "
               << AP::AttributeType_Name(expected) << " is not supported",
           failure();
  }
}

FailureOr<Attribute> GraphImporter::importConstantValue(
    const proto::NodeProto &node, ArrayRef<const proto::AttributeProto *> attrs,
    Location loc) {
  if (attrs.size() != 1)
    return nodeError(loc, node)
               << "Constant needs exactly one value attribute, has "
               << attrs.size(),
           failure();
  const proto::AttributeProto &a = *attrs[0];
  StringRef n = a.name();
  auto vec = [&](Type elem, int64_t count) {
    return RankedTensorType::get({count}, elem);
  };
  auto scalar = [&](Type elem) { return RankedTensorType::get({}, elem); };
  if (n == "value")
    return importAttr(a, AttrKind::Tensor, loc, node);
  if (n == "value_float")
    return Attribute(DenseElementsAttr::get(scalar(b.getF32Type()), a.f()));
  if (n == "value_int")
    return Attribute(DenseElementsAttr::get(scalar(b.getI64Type()), a.i()));
  if (n == "value_floats")
    return Attribute(DenseElementsAttr::get(
        vec(b.getF32Type(), a.floats_size()),
        ArrayRef<float>(a.floats().data(), a.floats_size())));
  if (n == "value_ints")
    return Attribute(DenseElementsAttr::get(
        vec(b.getI64Type(), a.ints_size()),
        ArrayRef<int64_t>(a.ints().data(), a.ints_size())));
  Type str = onnx::StringType::get(&ctx);
  if (n == "value_string")
    return Attribute(DenseStringElementsAttr::get(scalar(str), {StringRef(a.s())}));
  if (n == "value_strings") {
    SmallVector<StringRef> s(a.strings().begin(), a.strings().end());
    return Attribute(DenseStringElementsAttr::get(vec(str, s.size()), s));
  }
  return nodeError(loc, node) << "Constant attribute '" << n
                                     << "' is not supported", failure();
}

LogicalResult GraphImporter::importSubgraph(const proto::GraphProto &gIn,
                                            Region &region, Location loc) {
  proto::GraphProto g = gIn; // initializers are moved out of the copy
  OpBuilder::InsertionGuard guard(b);
  Block *block = b.createBlock(&region);
  scopes.emplace_back();
  valueInfos.emplace_back();
  for (const auto &vi : g.value_info())
    valueInfos.back()[vi.name()] = &vi.type();
  for (const auto &in : g.input()) {
    Type t = importType(in.type(), in.name());
    if (!t)
      t = UnrankedTensorType::get(b.getF32Type());
    scopes.back()[in.name()] = block->addArgument(t, loc);
  }
  LogicalResult ok = importInitializers(g);
  if (succeeded(ok))
    ok = importNodes(g.node(), nullptr);
  if (succeeded(ok)) {
    SmallVector<Value> results;
    for (const auto &out : g.output()) {
      Value v = lookup(out.name());
      if (!v) {
        ok = emitError(loc) << "subgraph '" << g.name() << "' output '"
                            << out.name() << "' is not defined";
        break;
      }
      results.push_back(v);
    }
    if (succeeded(ok))
      onnx::YieldOp::create(b, loc, results);
  }
  scopes.pop_back();
  valueInfos.pop_back();
  return ok;
}

LogicalResult GraphImporter::importNodes(
    const google::protobuf::RepeatedPtrField<proto::NodeProto> &nodes,
    const AttrSubst *subst) {
  int index = 0;
  bool ok = true;
  for (const auto &node : nodes) {
    // Keep going after an error only where it cannot cascade: stop here.
    if (failed(importNode(node, index++, subst))) {
      ok = false;
      break;
    }
  }
  return success(ok);
}

LogicalResult GraphImporter::importFunctionCall(const proto::NodeProto &node,
                                                int index,
                                                const proto::FunctionProto &f,
                                                const AttrSubst *outer) {
  Location loc = nodeLoc(node, index);
  Scope scope;
  for (int i = 0; i < f.input_size(); ++i) {
    Value v = i < node.input_size() && !node.input(i).empty()
                  ? lookup(node.input(i))
                  : Value();
    if (i < node.input_size() && !node.input(i).empty() && !v)
      return nodeError(loc, node) << "input '" << node.input(i)
                                         << "' is not defined";
    if (v)
      scope[f.input(i)] = v;
  }
  // Attribute references inside the body resolve against the call site.
  AttrSubst subst;
  for (const auto &a : f.attribute_proto())
    subst[a.name()] = &a;
  for (const auto &a : node.attribute()) {
    const proto::AttributeProto *resolved = &a;
    if (!a.ref_attr_name().empty() && outer) {
      auto it = outer->find(a.ref_attr_name());
      resolved = it == outer->end() ? nullptr : it->second;
    }
    if (resolved)
      subst[a.name()] = resolved;
  }
  scopes.push_back(std::move(scope));
  LogicalResult ok = importNodes(f.node(), &subst);
  SmallVector<Value> outs;
  if (succeeded(ok))
    for (const auto &o : f.output()) {
      Value v = lookup(o);
      if (!v) {
        ok = nodeError(loc, node) << "function '" << f.name()
                                         << "' does not define output '" << o
                                         << "'";
        break;
      }
      outs.push_back(v);
    }
  scopes.pop_back();
  if (failed(ok))
    return failure();
  for (int i = 0; i < node.output_size() && i < int(outs.size()); ++i)
    if (!node.output(i).empty())
      scopes.back()[node.output(i)] = outs[i];
  return success();
}

LogicalResult GraphImporter::importNode(const proto::NodeProto &node, int index,
                                        const AttrSubst *subst) {
  Location loc = nodeLoc(node, index);
  StringRef domain = node.domain() == "ai.onnx" ? "" : StringRef(node.domain());

  // Model-local functions take precedence: they are inlined.
  if (auto it = functions.find((node.domain() + ":" + node.op_type()));
      it != functions.end())
    return importFunctionCall(node, index, *it->second, subst);

  // Attributes, with references resolved inside inlined functions.
  SmallVector<const proto::AttributeProto *> attrs;
  for (const auto &a : node.attribute()) {
    if (!a.ref_attr_name().empty()) {
      if (!subst || !subst->count(a.ref_attr_name()))
        continue; // unset optional attribute of the function
      attrs.push_back(subst->lookup(a.ref_attr_name()));
      continue;
    }
    attrs.push_back(&a);
  }

  SmallVector<Value> inputs;
  for (const auto &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(nullptr);
      continue;
    }
    Value v = lookup(name);
    if (!v)
      return nodeError(loc, node) << "input '" << name
                                         << "' is not defined by any earlier node, initializer or graph input";
    inputs.push_back(v);
  }

  // Gradient refers to y and xs by name: expand it here, where names resolve.
  if (domain == "ai.onnx.preview.training" && node.op_type() == "Gradient") {
    Value y;
    SmallVector<Value> xs;
    for (const auto *a : attrs) {
      if (a->name() == "y")
        y = lookup(a->s());
      else if (a->name() == "xs")
        for (const auto &x : a->strings())
          if (Value v = lookup(x))
            xs.push_back(v);
          else
            return nodeError(loc, node) << "xs names '" << x << "', which is not defined";
      else if (a->name() == "zs" && a->strings_size() > 0)
        return nodeError(loc, node) << "zs (inputs held constant) is not supported yet";
    }
    if (!y || int(xs.size()) != node.output_size())
      return nodeError(loc, node) << "needs y naming an earlier value and one output per name in xs";
    auto grads = buildGradients(b, loc, y, xs);
    if (failed(grads))
      return failure();
    for (auto [name, g] : llvm::zip(node.output(), *grads))
      if (!name.empty())
        scopes.back()[name] = g;
    return success();
  }

  const OpInfo *info = lookupOp(domain, node.op_type());
  int64_t opset = opsets.lookup(domain);
  int version = info ? info->versionAt(opset ? opset : 1) : 0;

  SmallVector<Type> resultTypes;
  auto resultTypeFor = [&](StringRef name) -> Type {
    if (name.empty())
      return b.getNoneType();
    if (Type t = valueInfoType(name))
      return t;
    return UnrankedTensorType::get(b.getF32Type());
  };

  if (!info || version == 0) {
    // Unknown op: keep it; the legality check reports it with all others.
    SmallVector<NamedAttribute> nodeAttrs;
    for (const auto *a : attrs) {
      using AP = proto::AttributeProto;
      static const std::pair<AP::AttributeType, AttrKind> kinds[] = {
          {AP::FLOAT, AttrKind::Float},   {AP::INT, AttrKind::Int},
          {AP::STRING, AttrKind::String}, {AP::TENSOR, AttrKind::Tensor},
          {AP::FLOATS, AttrKind::Floats}, {AP::INTS, AttrKind::Ints},
          {AP::STRINGS, AttrKind::Strings}};
      for (auto [t, k] : kinds)
        if (a->type() == t)
          if (auto v = importAttr(*a, k, loc, node); succeeded(v))
            nodeAttrs.push_back(b.getNamedAttr(a->name(), *v));
    }
    SmallVector<Value> operands;
    for (Value v : inputs)
      operands.push_back(v ? v : noValue(loc));
    for (const auto &o : node.output())
      resultTypes.push_back(resultTypeFor(o));
    auto op = onnx::CustomOp::create(
        b, loc, resultTypes, operands, b.getStringAttr(node.op_type()),
        b.getStringAttr(node.domain()), b.getI64IntegerAttr(opset),
        b.getDictionaryAttr(nodeAttrs), /*graphs=*/0);
    for (auto [i, o] : llvm::enumerate(node.output()))
      if (!o.empty())
        scopes.back()[o] = op->getResult(i);
    return success();
  }

  if (domain.empty() && node.op_type() == "Scan" && version == 8)
    return importScan8(node, loc, inputs, attrs);
  upgradeNode(b, loc, node.op_type(), version, inputs, attrs);

  if (node.op_type() == "Constant") {
    auto value = importConstantValue(node, attrs, loc);
    if (failed(value))
      return failure();
    if (node.output_size() != 1)
      return nodeError(loc, node) << "Constant needs one output";
    scopes.back()[node.output(0)] =
        onnx::createConstant(b, loc, cast<ElementsAttr>(*value));
    return success();
  }

  // Operands: every formal input is one operand (absent -> onnx.NoValue),
  // except a trailing variadic which takes the rest.
  StringRef kinds = info->inputs;
  SmallVector<Value> operands;
  size_t next = 0;
  for (char k : kinds) {
    if (k == 'V') {
      for (; next < inputs.size(); ++next)
        operands.push_back(inputs[next] ? inputs[next] : noValue(loc));
      break;
    }
    if (next < inputs.size() && inputs[next]) {
      operands.push_back(inputs[next]);
    } else {
      if (k == 'S')
        return nodeError(loc, node) << "required input #" << next
                                           << " is missing";
      operands.push_back(noValue(loc));
    }
    ++next;
  }
  if (next < inputs.size())
    return nodeError(loc, node) << "has " << inputs.size()
                                       << " inputs, the op takes at most " << next;

  // Results: absent optional outputs have type none; others take the
  // model's value_info or, failing that, an element type the schema implies
  // (the shape function refines it right after).
  auto placeholder = [&](size_t i) -> Type {
    StringRef name = node.output(i);
    if (name.empty())
      return b.getNoneType();
    if (Type t = valueInfoType(name))
      return t;
    int rule = i < info->outputTypes.size() ? info->outputTypes[i] : -1;
    Type elem;
    Type unknownTensor = UnrankedTensorType::get(b.getF32Type());
    if (rule == 2000)
      return onnx::SeqType::get(&ctx, unknownTensor);
    if (rule == 3000)
      return onnx::OptType::get(&ctx, unknownTensor);
    if (rule >= 1000)
      elem = onnx::getElementType(&ctx, rule - 1000);
    else if (rule >= 0 && size_t(rule) < operands.size()) {
      Type t = operands[rule].getType();
      if (isa<onnx::SeqType, onnx::OptType>(t))
        return t; // sequences/optionals pass through whole
      if (auto tt = dyn_cast<TensorType>(t))
        elem = tt.getElementType();
    }
    return UnrankedTensorType::get(elem ? elem : b.getF32Type());
  };
  StringRef outKinds = info->outputs;
  size_t numOut = node.output_size();
  for (size_t i = 0; i < outKinds.size(); ++i) {
    if (outKinds[i] == 'V') {
      for (; i < numOut; ++i)
        resultTypes.push_back(placeholder(i));
      break;
    }
    if (i < numOut)
      resultTypes.push_back(placeholder(i));
    else if (outKinds[i] == 'S')
      return nodeError(loc, node) << "required output #" << i
                                         << " is missing";
    else
      resultTypes.push_back(b.getNoneType());
  }

  OperationState state(loc, ("onnx." + node.op_type()));
  state.addOperands(operands);
  state.addTypes(resultTypes);
  SmallVector<const proto::GraphProto *> graphs;
  SmallVector<const AttrInfo *> graphInfos;
  for (const auto *a : attrs) {
    const AttrInfo *ai = info->findAttr(a->name());
    if (!ai)
      return nodeError(loc, node)
             << "unknown attribute '" << a->name() << "' for " << node.op_type()
             << " (opset " << opset << ")";
    if (ai->kind == AttrKind::Graph) {
      graphs.push_back(&a->g());
      graphInfos.push_back(ai);
      continue;
    }
    auto attr = importAttr(*a, ai->kind, loc, node);
    if (failed(attr))
      return failure();
    state.addAttribute(ai->odsName, *attr);
  }
  for (const AttrInfo &ai : info->attrs) {
    if (!ai.required)
      continue;
    bool present = llvm::any_of(attrs, [&](auto *a) { return a->name() == ai.onnxName; });
    if (!present)
      return nodeError(loc, node) << "required attribute '" << ai.onnxName
                                         << "' is missing";
  }
  // Regions follow the schema's (sorted) graph-attribute order.
  size_t numRegions = llvm::count_if(info->attrs, [](const AttrInfo &a) {
    return a.kind == AttrKind::Graph;
  });
  for (size_t i = 0; i < numRegions; ++i)
    state.addRegion();
  Operation *op = b.create(state);
  size_t regionIdx = 0;
  for (const AttrInfo &ai : info->attrs) {
    if (ai.kind != AttrKind::Graph)
      continue;
    for (auto [g, gi] : llvm::zip(graphs, graphInfos))
      if (gi == &ai && failed(importSubgraph(*g, op->getRegion(regionIdx), loc)))
        return failure();
    ++regionIdx;
  }

  // A shape function that finds the node malformed emits the error; a
  // missing one (the interface default) leaves the imported types.
  if (auto si = dyn_cast<onnx::ShapeInferenceOpInterface>(op)) {
    unsigned errorsBefore = numErrors;
    ScopedDiagnosticHandler count(&ctx, [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error)
        ++numErrors;
      return failure(); // keep propagating to the printing handler
    });
    (void)si.inferShapes();
    if (numErrors != errorsBefore)
      return failure();
  }
  if (failed(verify(op)))
    return failure();
  for (auto [i, o] : llvm::enumerate(node.output()))
    if (!o.empty() && i < op->getNumResults())
      scopes.back()[o] = op->getResult(i);
  return success();
}

/// Scan-8 scans batch-major inputs [B, seq, ...] with states [B, ...];
/// Scan-9 dropped the batch. Each batch row becomes one Scan of the newest
/// form (its own copy of the body), and the rows are stacked again.
LogicalResult GraphImporter::importScan8(const proto::NodeProto &node, Location loc,
                                         ArrayRef<Value> inputs,
                                         ArrayRef<const proto::AttributeProto *> attrs) {
  if (!inputs.empty() && inputs[0])
    return nodeError(loc, node) << "opset 8: sequence_lens (a length per batch row) is not supported";
  const proto::GraphProto *body = nullptr;
  int64_t numScan = -1;
  SmallVector<int64_t> directions;
  for (const auto *a : attrs) {
    if (a->name() == "body")
      body = &a->g();
    else if (a->name() == "num_scan_inputs")
      numScan = a->i();
    else if (a->name() == "directions")
      directions.assign(a->ints().begin(), a->ints().end());
    else
      return nodeError(loc, node) << "unknown attribute '" << a->name() << "' for Scan (opset 8)";
  }
  ArrayRef<Value> operands = inputs.drop_front(std::min<size_t>(1, inputs.size()));
  if (!body || numScan < 1 || size_t(numScan) > operands.size() || llvm::is_contained(operands, Value()))
    return nodeError(loc, node) << "needs a body, num_scan_inputs >= 1 and that many scan inputs after the states";
  auto first = dyn_cast<RankedTensorType>(operands.front().getType());
  if (!first || first.getRank() < 1 || first.isDynamicDim(0))
    return nodeError(loc, node) << "needs a static batch dim (dim 0 of its inputs)";

  // An onnx op named `name` with its shapes inferred.
  auto make = [&](StringRef name, ValueRange args, ArrayRef<NamedAttribute> named = {}) {
    Type elem = cast<TensorType>(args.front().getType()).getElementType();
    Value v = onnx::createOp(b, loc, name, args, UnrankedTensorType::get(elem), named);
    (void)cast<onnx::ShapeInferenceOpInterface>(v.getDefiningOp()).inferShapes();
    return v;
  };
  Value axis0 = onnx::createI64Constant(b, loc, {0});
  SmallVector<SmallVector<Value>> rows(node.output_size());
  for (int64_t r = 0; r < first.getDimSize(0); ++r) {
    Value row = onnx::createConstant(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()), r));
    SmallVector<Value> args;
    for (Value v : operands)
      args.push_back(make("onnx.Gather", {v, row}));
    OperationState state(loc, "onnx.Scan");
    state.addOperands(args);
    state.addTypes(SmallVector<Type>(node.output_size(), UnrankedTensorType::get(b.getF32Type())));
    state.addAttribute("num_scan_inputs", b.getI64IntegerAttr(numScan));
    if (!directions.empty())
      state.addAttribute("scan_input_directions", b.getDenseI64ArrayAttr(directions));
    state.addRegion();
    Operation *scan = b.create(state);
    if (failed(importSubgraph(*body, scan->getRegion(0), loc)) ||
        failed(cast<onnx::ShapeInferenceOpInterface>(scan).inferShapes()))
      return failure();
    for (auto [i, result] : llvm::enumerate(scan->getResults()))
      rows[i].push_back(make("onnx.Unsqueeze", {result, axis0}));
  }
  for (auto [name, row] : llvm::zip(node.output(), rows))
    if (!name.empty())
      scopes.back()[name] = row.size() == 1 ? row.front()
                                            : make("onnx.Concat", row, {b.getNamedAttr("axis", b.getI64IntegerAttr(0))});
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (!model.has_graph()) {
    emitError(fileLoc()) << "model has no graph";
    return nullptr;
  }
  if (!opsets.count("")) // IR version 1/2 models without opset_import
    opsets[""] = 1;
  proto::GraphProto &g = *model.mutable_graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  b.setInsertionPointToEnd(module->getBody());

  llvm::StringSet<> initNames;
  for (const auto &t : g.initializer())
    initNames.insert(t.name());
  scopes.emplace_back();
  valueInfos.emplace_back();
  for (const auto &vi : g.value_info())
    valueInfos.back()[vi.name()] = &vi.type();
  for (const auto &vi : g.output())
    valueInfos.back()[vi.name()] = &vi.type();

  // Each graph input becomes one argument per tensor it holds: a sequence's
  // elements and an optional's payload are fixed at compile time (--shape)
  // like tensor shapes, and rebuilt from the arguments in the entry block.
  SmallVector<Type> argTypes;
  SmallVector<NamedAttrList> argAttrs;
  SmallVector<InputLayout> layouts;
  for (const auto &in : g.input()) {
    if (initNames.contains(in.name()))
      continue; // IR < 4 lists initializers as inputs too
    FailureOr<InputLayout> layout = layoutInput(in);
    if (failed(layout))
      return nullptr;
    layout->firstArg = argTypes.size();
    for (auto [t, name] : llvm::zip(layout->argTypes, layout->argNames)) {
      argTypes.push_back(t);
      NamedAttrList attrs;
      attrs.append("onnx.name", b.getStringAttr(name));
      if (layout->argNames.size() == 1 && in.type().has_tensor_type() &&
          in.type().tensor_type().has_shape()) {
        SmallVector<StringRef> params;
        for (const auto &d : in.type().tensor_type().shape().dim())
          params.push_back(d.has_dim_param() ? StringRef(d.dim_param()) : "");
        attrs.append("onnx.dim_params", b.getStrArrayAttr(params));
      }
      argAttrs.push_back(attrs);
    }
    layouts.push_back(std::move(*layout));
  }
  auto func = func::FuncOp::create(b, fileLoc(), options.funcName,
                                   b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, attrs] : llvm::enumerate(argAttrs))
    func.setArgAttrs(i, attrs.getDictionary(&ctx));
  b.setInsertionPointToStart(entry);
  for (const InputLayout &layout : layouts)
    scopes.back()[layout.name] = buildInput(layout, entry->getArguments());
  if (failed(importInitializers(g)) || failed(importNodes(g.node(), nullptr)))
    return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &out : g.output()) {
    Value v = lookup(out.name());
    if (!v) {
      emitError(fileLoc()) << "graph output '" << out.name()
                           << "' is not produced by any node";
      return nullptr;
    }
    results.push_back(v);
    resultTypes.push_back(v.getType());
  }
  func::ReturnOp::create(b, fileLoc(), results);
  func.setFunctionType(b.getFunctionType(argTypes, resultTypes));
  for (auto [i, out] : llvm::enumerate(g.output()))
    func.setResultAttr(i, "onnx.name", b.getStringAttr(out.name()));
  return module;
}

} // namespace

void registerImporterDialects(DialectRegistry &registry) {
  registry.insert<onnx::OnnxDialect, func::FuncDialect>();
}

OwningOpRef<ModuleOp> importModelBytes(MLIRContext &ctx, StringRef bytes,
                                       StringRef path,
                                       const ImportOptions &options) {
  ctx.loadDialect<onnx::OnnxDialect, func::FuncDialect>();
  proto::ModelProto model;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()), int(bytes.size()));
  stream.SetTotalBytesLimit(INT_MAX);
  if (bytes.empty() || !model.ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage()) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "not a valid ONNX model: the protobuf could not be parsed ("
        << bytes.size() << " bytes)";
    return nullptr;
  }
  GraphImporter importer(ctx, model, path, options);
  return importer.run();
}

OwningOpRef<ModuleOp> importModelFile(MLIRContext &ctx, StringRef path,
                                      const ImportOptions &options) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf) {
    emitError(FileLineColLoc::get(&ctx, path, 0, 0))
        << "cannot read model: " << buf.getError().message();
    return nullptr;
  }
  return importModelBytes(ctx, (*buf)->getBuffer(), path, options);
}

} // namespace onnxc
