package io.ecombi.clv;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Maximum likelihood of positive parameters with Apache Commons Math's Nelder-Mead simplex on their
 * logarithms (so every step stays positive), restarted from its own optimum with a fresh simplex
 * until a restart no longer improves the log-likelihood (Nelder-Mead can stall on a ridge; a
 * restart is the usual cure). A fit counts as converged only when
 * <ul>
 *   <li>the optimiser stopped on its convergence test, not on the evaluation limit;</li>
 *   <li>the last restart moved the log-likelihood by less than {@link #LL_TOLERANCE};</li>
 *   <li>no parameter ran off towards 0 or infinity (|ln value| &lt; {@link #MAX_ABS_LOG});</li>
 *   <li>the log-likelihood is curved down in every direction there (its numerical Hessian is
 *       negative definite); the same Hessian gives the standard errors;</li>
 *   <li>the data pins every parameter down: its standard error on the log scale is at most
 *       {@link #MAX_LOG_SE} (about: the standard error is below the value itself). A likelihood that
 *       is flat along a ridge (BG/NBD on a year of UCI Online Retail: a towards 0 with b anywhere,
 *       "no one drops out") has a maximum that the optimiser reaches but that means nothing.</li>
 * </ul>
 */
public final class MaximumLikelihood {
    static final double LL_TOLERANCE = 1e-6;
    /** A parameter beyond e^±25 (about 7e10 or 1e-11) has run off: the data does not bound it. */
    static final double MAX_ABS_LOG = 25;
    /** The largest standard error of a log-parameter for it to count as pinned down (1: within a factor e). */
    static final double MAX_LOG_SE = 1;
    /** The Hessian's step on the log scale: large enough that the log-likelihood's rounding (1e-12 of it) stays far below the differences. */
    static final double HESSIAN_STEP = 5e-3;
    private static final int MAX_RESTARTS = 30;
    private static final int MAX_EVALUATIONS = 20_000;

    private MaximumLikelihood() {}

    /**
     * A fit: the parameters, the maximum log-likelihood, whether it converged (else why not), the
     * log-likelihood evaluations spent and the standard errors (NaN when the Hessian is not
     * negative definite).
     */
    public record Fit(List<String> names, double[] params, double logLikelihood, boolean converged, String problem,
                      int evaluations, int restarts, double[] standardErrors, List<String> loose) {

        public double param(String name) {
            return params[names.indexOf(name)];
        }

        /**
         * Whether the data left this parameter loose at the optimum: its standard error is larger than
         * the value, or the log-likelihood is flat or curved up along a direction it has a large part in.
         */
        public boolean loose(String name) {
            return loose.contains(name);
        }

        /** "r = 0.243 (± 0.013), alpha = 4.41 (± 0.38), ..." */
        public String describe() {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < params.length; i++) {
                if (i > 0) s.append(", ");
                s.append(names.get(i)).append(" = ").append(String.format(Locale.US, "%.4g", params[i]));
                if (Double.isFinite(standardErrors[i])) s.append(String.format(Locale.US, " (± %.2g)", standardErrors[i]));
            }
            return s.toString();
        }
    }

    /**
     * Maximises ll over positive parameters from start.
     *
     * @param names the parameters' names, for the report and the problem text
     * @param ll    the log-likelihood of a parameter vector (may return NaN or -Infinity where undefined)
     * @param start a positive starting point
     */
    public static Fit maximise(List<String> names, ToDoubleFunction<double[]> ll, double[] start) {
        int n = start.length;
        int[] evaluations = {0};
        // on log-parameters; an undefined value is a very low one, so the simplex moves away from it
        ToDoubleFunction<double[]> f = theta -> {
            evaluations[0]++;
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = Math.exp(theta[i]);
            double v = ll.applyAsDouble(p);
            return Double.isNaN(v) || v == Double.NEGATIVE_INFINITY ? -1e300 : v;
        };
        double[] theta = new double[n];
        for (int i = 0; i < n; i++) theta[i] = Math.log(start[i]);
        double best = f.applyAsDouble(theta);
        String problem = null;
        int restarts = 0;
        boolean settled = false;
        for (; restarts < MAX_RESTARTS && !settled; restarts++) {
            SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-12, 1e-10));
            PointValuePair p;
            try {
                p = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), new ObjectiveFunction(f::applyAsDouble), GoalType.MAXIMIZE,
                        new InitialGuess(theta), new NelderMeadSimplex(n, restarts == 0 ? 1.0 : 0.1));
            } catch (TooManyEvaluationsException e) {
                problem = "the optimiser did not settle within " + MAX_EVALUATIONS + " evaluations";
                break;
            }
            double gain = p.getValue() - best;
            double moved = 0;
            for (int i = 0; i < n; i++) moved = Math.max(moved, Math.abs(p.getPoint()[i] - theta[i]));
            if (p.getValue() >= best) {
                theta = p.getPoint();
                best = p.getValue();
            }
            settled = restarts > 0 && gain < LL_TOLERANCE && moved < 1e-4;
        }
        double[] params = new double[n];
        for (int i = 0; i < n; i++) params[i] = Math.exp(theta[i]);
        double[] se = new double[n];
        Arrays.fill(se, Double.NaN);
        List<String> loose = new java.util.ArrayList<>();
        if (problem == null && !settled) problem = "the log-likelihood still rose after " + MAX_RESTARTS + " restarts";
        if (problem == null && !(best > -1e300)) problem = "the log-likelihood is not defined anywhere the optimiser went";
        if (problem == null) {
            for (int i = 0; i < n; i++) {
                if (Math.abs(theta[i]) >= MAX_ABS_LOG) {
                    problem = names.get(i) + " ran off to " + String.format(Locale.US, "%.3g", params[i])
                            + ": the data does not bound it (the model does not fit this data)";
                    break;
                }
            }
        }
        if (problem == null) {
            RealMatrix negH = negativeHessian(f, theta, best);
            try {
                RealMatrix cov = new CholeskyDecomposition(negH, 1e-10, 1e-14).getSolver().getInverse();
                List<String> described = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    double logSe = Math.sqrt(cov.getEntry(i, i));
                    se[i] = params[i] * logSe;   // delta method: d p = p d(ln p)
                    if (!(logSe <= MAX_LOG_SE)) {
                        loose.add(names.get(i));
                        described.add(names.get(i) + String.format(Locale.US, " = %.3g (± %.2g)", params[i], se[i]));
                    }
                }
                if (!loose.isEmpty()) {
                    problem = String.join(" and ", described) + (loose.size() == 1 ? " is" : " are")
                            + " not pinned down by the data (a standard error larger than the value): the log-likelihood is nearly flat that way";
                }
            } catch (NonPositiveDefiniteMatrixException e) {
                // the directions in which the log-likelihood is flat or curved up, and the parameters that make them up
                EigenDecomposition eigen = new EigenDecomposition(negH);
                double top = 0;
                for (double v : eigen.getRealEigenvalues()) top = Math.max(top, Math.abs(v));
                for (int k = 0; k < n; k++) {
                    if (eigen.getRealEigenvalue(k) > 1e-10 * top) continue;
                    double[] direction = eigen.getEigenvector(k).toArray();
                    for (int i = 0; i < n; i++) if (Math.abs(direction[i]) > 0.3 && !loose.contains(names.get(i))) loose.add(names.get(i));
                }
                problem = "the log-likelihood is not curved down in every direction at the optimum (its Hessian is not negative definite):"
                        + " the data does not pin " + (loose.isEmpty() ? "every parameter" : String.join(" and ", loose)) + " down";
            }
        }
        return new Fit(List.copyOf(names), params, best, problem == null, problem, evaluations[0], restarts, se, List.copyOf(loose));
    }

    /** -H of f at theta by central differences (f is the log-likelihood on log-parameters, fx = f(theta)). */
    static RealMatrix negativeHessian(ToDoubleFunction<double[]> f, double[] theta, double fx) {
        int n = theta.length;
        double h = HESSIAN_STEP;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v;
                if (i == j) {
                    v = (at(f, theta, i, h, j, 0) - 2 * fx + at(f, theta, i, -h, j, 0)) / (h * h);
                } else {
                    v = (at(f, theta, i, h, j, h) - at(f, theta, i, h, j, -h) - at(f, theta, i, -h, j, h) + at(f, theta, i, -h, j, -h)) / (4 * h * h);
                }
                m[i][j] = -v;
                m[j][i] = -v;
            }
        }
        return new Array2DRowRealMatrix(m, false);
    }

    private static double at(ToDoubleFunction<double[]> f, double[] theta, int i, double di, int j, double dj) {
        double[] t = theta.clone();
        t[i] += di;
        t[j] += dj;
        return f.applyAsDouble(t);
    }
}
