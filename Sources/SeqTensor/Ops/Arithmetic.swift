import SeqKernels

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.add, lhs, rhs, name: "+").recorded(from: [lhs, rhs]) { g in [g, g] }
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        binaryResult(.subtract, lhs, rhs, name: "-").recorded(from: [lhs, rhs]) { g in [g, -g] }
    }

    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (a, b) = (lhs.detached(), rhs.detached())
        return binaryResult(.multiply, lhs, rhs, name: "*").recorded(from: [lhs, rhs]) { g in
            [lhs.isTracked ? g * b : nil, rhs.isTracked ? g * a : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let (a, b) = (lhs.detached(), rhs.detached())
        return binaryResult(.divide, lhs, rhs, name: "/").recorded(from: [lhs, rhs]) { g in
            [lhs.isTracked ? g / b : nil, rhs.isTracked ? -(g * a) / (b * b) : nil]
        }
    }

    /// Elementwise negation.
    public static prefix func - (operand: Tensor) -> Tensor {
        binaryResult(.multiply, operand, Tensor(-1), name: "negation")
            .recorded(from: [operand]) { g in [-g] }
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
    /// Adds a scalar to every element.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) + rhs }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(1 / rhs) }
    /// Divides a scalar by every element.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) / rhs }
}
